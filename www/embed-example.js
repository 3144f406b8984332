// The host side of Overlap's embeds: every frame posts its content's height
// ({type: 'overlap:resize', height}); the frame that sent it gets that height.
// A tutorial copies these lines as they are: they find the frame by the
// window that sent the message, so any iframe works, the copied code's too.
'use strict';
window.addEventListener('message', function (event) {
  var message = event.data;
  if (!message || message.type !== 'overlap:resize' || typeof message.height !== 'number') return;
  var frames = document.getElementsByTagName('iframe');
  for (var index = 0; index < frames.length; index += 1) {
    var frame = frames[index];
    if (frame.contentWindow !== event.source) continue;
    var height = Math.ceil(message.height);
    // The height is the content's: the frame's own border comes on top,
    // whatever box-sizing the host page uses.
    frame.style.boxSizing = 'content-box';
    frame.style.height = height + 'px';
    frame.dataset.reportedHeight = String(height);
  }
});
