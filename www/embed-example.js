// The host side of Overlap's embeds: every frame posts its content's height
// ({type: 'overlap:resize', height}); the frame that sent it gets that height.
// A tutorial copies these lines as they are.
'use strict';
window.addEventListener('message', function (event) {
  var message = event.data;
  if (!message || message.type !== 'overlap:resize' || typeof message.height !== 'number') return;
  var frames = document.querySelectorAll('iframe[data-overlap-embed]');
  for (var index = 0; index < frames.length; index += 1) {
    if (frames[index].contentWindow === event.source) {
      frames[index].style.height = Math.ceil(message.height) + 'px';
      frames[index].dataset.reportedHeight = String(Math.ceil(message.height));
    }
  }
});
