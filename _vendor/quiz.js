// The self-check questions at the end of each chapter (see _ext/quiz.py):
// choosing a radio button shows, in the question's live region, whether the
// choice is right and the explanation written for it. Native radio buttons,
// so the keyboard works as everywhere: Tab to a question, arrows to choose.
"use strict";
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.matches(".quiz input[type=radio]")) return;
  const quiz = input.closest(".quiz");
  const right = input.dataset.correct === "true";
  const verdict = document.createElement("strong");
  verdict.textContent = right ? quiz.dataset.right : quiz.dataset.wrong;
  const feedback = quiz.querySelector(".quiz-feedback");
  feedback.replaceChildren(verdict);
  for (const child of input.closest(".quiz-choice").querySelector(".quiz-explanation").children) {
    feedback.append(child.cloneNode(true));
  }
  quiz.classList.toggle("quiz-right", right);
  quiz.classList.toggle("quiz-wrong", !right);
});
