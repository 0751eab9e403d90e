// The pad's page canvas (mnist_lesson/pad/page_canvas.py): the page draws the pen's ink itself
// and tells the kernel every pen event, as ipycanvas's front end does:
//   {event: "mouse_down" | "mouse_move" | "mouse_up" | "mouse_out", x, y}
//   {event: "touch_start" | "touch_move" | "touch_end" | "touch_cancel", touches: [{x, y}, …]}
//   {event: "client_ready"}
// in canvas pixels. Moves are sent at most once a frame, as {event: "batch", events: […]}
// holding every move in order; any other event first sends the moves before it.
// The kernel sends {command: "paint", strokes: [[[x, y], …], …]} to show the whole drawing
// afresh (after Undo, Clear, or for a new view), and {command: "clear"}; the pen's width is
// the widget's pen_width.

const INK = "white";
const PAPER = "black";

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.width = model.get("width");
  canvas.height = model.get("height");
  canvas.style.width = "100%";
  canvas.style.height = "100%";
  canvas.style.display = "block";
  canvas.style.touchAction = "none"; // a finger draws; it does not scroll the page
  canvas.style.cursor = "crosshair";
  canvas.classList.add("mnist-page-canvas");
  el.appendChild(canvas);
  const context = canvas.getContext("2d");

  function style() {
    const width = model.get("pen_width");
    context.lineCap = context.lineJoin = "round";
    context.lineWidth = width;
    context.strokeStyle = context.fillStyle = INK;
    return width;
  }

  function blank() {
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    style();
  }

  function dot(x, y) {
    const width = style();
    context.beginPath();
    context.arc(x, y, width / 2, 0, 2 * Math.PI);
    context.fill();
  }

  function line(points) {
    if (points.length < 2) return;
    style();
    context.beginPath();
    context.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) context.lineTo(x, y);
    context.stroke();
  }

  // Events to the kernel: moves wait for the next frame, in order; anything else sends them.
  let queued = [];
  let frame = null;
  function sendQueued() {
    if (frame !== null) {
      cancelAnimationFrame(frame);
      frame = null;
    }
    if (queued.length === 1) model.send(queued[0]);
    else if (queued.length > 1) model.send({ event: "batch", events: queued });
    queued = [];
  }
  function send(message) {
    if (message.event === "mouse_move" || message.event === "touch_move") {
      queued.push(message);
      if (frame === null) frame = requestAnimationFrame(sendQueued);
    } else {
      queued.push(message);
      sendQueued();
    }
  }

  function where(clientX, clientY) {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((clientX - box.left) * canvas.width) / (box.width || canvas.width),
      y: ((clientY - box.top) * canvas.height) / (box.height || canvas.height),
    };
  }

  // The page's own pen: where its ink last went, while the mouse or a finger draws.
  let last = null;
  let finger = null; // the identifier of the touch that draws
  function penDown(point) {
    last = [point.x, point.y];
    dot(point.x, point.y);
  }
  function penMove(point) {
    if (last === null) return;
    line([last, [point.x, point.y]]);
    last = [point.x, point.y];
  }
  function penUp(point) {
    if (last !== null && point) penMove(point);
    last = null;
  }

  const listeners = [];
  function listen(target, type, handler, options) {
    target.addEventListener(type, handler, options);
    listeners.push([target, type, handler, options]);
  }

  listen(canvas, "mousedown", (event) => {
    if (event.button !== 0) return;
    const point = where(event.clientX, event.clientY);
    penDown(point);
    send({ event: "mouse_down", ...point });
  });
  listen(canvas, "mousemove", (event) => {
    if (last === null || finger !== null) return; // only the pen's moves matter to the pad
    const point = where(event.clientX, event.clientY);
    penMove(point);
    send({ event: "mouse_move", ...point });
  });
  listen(canvas, "mouseup", (event) => {
    const point = where(event.clientX, event.clientY);
    if (finger === null) penUp(point);
    send({ event: "mouse_up", ...point });
  });
  listen(canvas, "mouseleave", (event) => {
    if (last === null || finger !== null) return;
    const point = where(event.clientX, event.clientY);
    penUp(point);
    send({ event: "mouse_out", ...point });
  });

  function touchesOf(event) {
    return Array.from(event.touches, (touch) => where(touch.clientX, touch.clientY));
  }
  function onTouch(type) {
    return (event) => {
      event.preventDefault(); // no scrolling, and no mouse events made up from the touch
      for (const touch of event.changedTouches) {
        const point = where(touch.clientX, touch.clientY);
        if (type === "touch_start" && finger === null) {
          finger = touch.identifier;
          penDown(point);
        } else if (touch.identifier === finger) {
          if (type === "touch_move") penMove(point);
          else {
            penUp(point);
            finger = null;
          }
        }
      }
      send({ event: type, touches: touchesOf(event) });
    };
  }
  listen(canvas, "touchstart", onTouch("touch_start"), { passive: false });
  listen(canvas, "touchmove", onTouch("touch_move"), { passive: false });
  listen(canvas, "touchend", onTouch("touch_end"), { passive: false });
  listen(canvas, "touchcancel", onTouch("touch_cancel"), { passive: false });

  // The whole drawing, from the kernel.
  function paint(strokes) {
    blank();
    for (const stroke of strokes) {
      dot(stroke[0][0], stroke[0][1]);
      line(stroke);
    }
    if (last !== null) dot(last[0], last[1]); // a stroke in progress goes on from here
  }
  function onMessage(message) {
    if (message.command === "paint") paint(message.strokes);
    else if (message.command === "clear") blank();
  }
  model.on("msg:custom", onMessage);

  blank();
  model.send({ event: "client_ready" }); // a new view starts blank: the pad paints it
  return () => {
    sendQueued();
    model.off("msg:custom", onMessage);
    for (const [target, type, handler, options] of listeners) {
      target.removeEventListener(type, handler, options);
    }
  };
}

export default { render };
