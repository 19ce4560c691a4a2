// Offer letters: shows the "Print this letter" button and prints the page when it is pressed.
// Without JavaScript the button stays hidden and the browser's own print command does the same.
(function () {
  'use strict'
  var button = document.querySelector('[data-app-print]')
  if (!button) return
  button.hidden = false
  button.addEventListener('click', function () { window.print() })
})()
