//! A run's picture (blur, Mandelbrot) drawn into a canvas.

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::experiments::cpu::run::Picture;

#[component]
pub fn PictureCanvas(picture: Picture, label: String) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let size = picture.size;
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            draw(&canvas, &picture);
        }
    });
    view! {
        <canvas
            node_ref=canvas
            class="result-picture"
            width=size
            height=size
            role="img"
            aria-label=label
            data-testid="result-picture"
        ></canvas>
    }
}

fn draw(canvas: &web_sys::HtmlCanvasElement, picture: &Picture) {
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    // `ImageData` refuses views of shared memory ("must not be shared"), and
    // the threaded build's memory is shared: copy into a plain JS array first.
    let plain = js_sys::Uint8ClampedArray::new_with_length(picture.pixels.len() as u32);
    plain.copy_from(&picture.pixels);
    if let Ok(image) = web_sys::ImageData::new_with_js_u8_clamped_array(&plain, picture.size) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}
