/* The course's self-check quizzes (_ext/quizzes.py): the answer shows once the student checks a chosen option.
   No library, no network. Each .quiz-question holds a fieldset of radio buttons, a "Check my answer"
   button, a role="status" line and the explanation (hidden until checked). */
(function () {
  "use strict";
  function setUp(question) {
    var button = question.querySelector(".quiz-check");
    var result = question.querySelector(".quiz-result");
    var feedback = question.querySelector(".quiz-feedback");
    var right = question.getAttribute("data-answer");
    button.addEventListener("click", function () {
      var chosen = question.querySelector("input[type=radio]:checked");
      question.classList.remove("quiz-is-right", "quiz-is-wrong");
      if (!chosen) {
        result.textContent = "Choose an option first, then check.";
        return;
      }
      var correct = chosen.value === right;
      question.classList.add(correct ? "quiz-is-right" : "quiz-is-wrong");
      result.textContent = correct
        ? "Correct: " + right + ")."
        : "Not quite: you chose " + chosen.value + "), the answer is " + right + ").";
      feedback.hidden = false;
    });
  }
  function start() {
    var questions = document.querySelectorAll(".quiz-question");
    for (var i = 0; i < questions.length; i++) setUp(questions[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
