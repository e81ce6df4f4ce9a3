// The chapters' explorers on a page with no kernel (see rnnlib/widgets.py):
// each range input picks one of the figures precomputed in the page.
// Frames are in row-major order of the gridded sliders; each input's
// data-stride says how many frames one of its steps skips.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".rnnlib-slider")) {
    const inputs = Array.from(box.querySelectorAll("input[type=range]"));
    const frames = Array.from(box.querySelectorAll("img.rnnlib-slider-frame"));
    const show = () => {
      let index = 0;
      for (const input of inputs) {
        const step = Math.round((input.valueAsNumber - Number(input.min)) / Number(input.step));
        const label = JSON.parse(input.dataset.labels)[step];
        index += step * Number(input.dataset.stride);
        input.setAttribute("aria-valuetext", label);
        box.querySelector(`output[for="${input.id}"]`).textContent = label;
      }
      frames.forEach((frame, i) => { frame.hidden = i !== index; });
    };
    for (const input of inputs) {
      input.disabled = false;  // disabled in the HTML, so that it does not pretend to work without this script
      input.addEventListener("input", show);
    }
  }
});
