"""Makes the Keras reference fixtures the nasnet-core tests compare against.

Small NASNets from Keras' generic NASNet constructor, with random weights *and* random batch-norm statistics (so batch
norm matters), saved in the three weight layouts our loader reads, plus a fixed input and Keras' logits for it; and a
few images with the arrays TensorFlow's own preprocessing makes of them.

Never a dependency of the build or the tests: run it by hand, in a venv made from the machine's wheels,

    python3 -m venv /opt/kerasvenv
    /opt/kerasvenv/bin/pip install --no-index --find-links <folder of tensorflow_cpu-*.whl> tensorflow_cpu keras h5py pillow
    /opt/kerasvenv/bin/python tools/keras-reference/make_fixtures.py nasnet-core/src/test/resources/keras

Outputs per model NAME: NAME.h5 (legacy HDF5 layout), NAME.weights.h5 (Keras 3 layout), NAME.json (the Keras
arguments, input shape, max |logit|), NAME.input.f32 and NAME.logits.f32 (little-endian float32, row-major).
"""
import json
import os
import sys

import h5py
import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras.src.applications.nasnet import NASNet  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402
from PIL import Image  # noqa: E402

MODELS = {
    # Mobile-like: skip_reduction False, 32 px.
    "tiny_mobile": dict(input_shape=(32, 32, 3), penultimate_filters=96, num_blocks=1, stem_block_filters=32,
                        skip_reduction=False, classes=10),
    # Large-like: skip_reduction True, two blocks per stack, 64 px, a wider stem.
    "tiny_large": dict(input_shape=(64, 64, 3), penultimate_filters=192, num_blocks=2, stem_block_filters=96,
                       skip_reduction=True, classes=7),
}


def randomize(model, rng):
    """Random weights and batch-norm statistics: gamma, beta, mean and a positive variance per channel."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.normal(0, 0.2, n), rng.normal(0, 0.5, n),
                               rng.uniform(0.5, 2.0, n)])
        elif layer.weights:
            layer.set_weights([rng.normal(0, np.sqrt(2.0 / max(1, np.prod(w.shape[:-1]))), w.shape)
                               for w in layer.weights])


def save_keras2_layout(model, path):
    """The layout of the files keras.applications publishes (Keras 2): weight names 'layer/kernel:0'."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [layer.name.encode("utf8") for layer in model.layers]
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.1.3"
        for layer in model.layers:
            g = f.create_group(layer.name)
            names = [f"{layer.name}/{w.path.split('/')[-1]}:0" for w in layer.weights]
            g.attrs["weight_names"] = [n.encode("utf8") for n in names]
            for n, w in zip(names, layer.weights):
                g.create_dataset(n, data=np.asarray(w.numpy(), dtype=np.float32))


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def make_model(out, name, args, seed):
    rng = np.random.default_rng(seed)
    model = NASNet(weights=None, include_top=True, classifier_activation=None,
                                             filter_multiplier=2, **args)
    randomize(model, rng)
    x = rng.uniform(-1, 1, (2,) + args["input_shape"]).astype(np.float32)
    logits = model.predict(x, verbose=0)
    # Keras 2 layout for the first model, Keras 3's own legacy writer for the others: both are in the wild.
    if name == "tiny_mobile":
        save_keras2_layout(model, os.path.join(out, name + ".h5"))
    else:
        with h5py.File(os.path.join(out, name + ".h5"), "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
    model.save_weights(os.path.join(out, name + ".weights.h5"))
    write_f32(os.path.join(out, name + ".input.f32"), x)
    write_f32(os.path.join(out, name + ".logits.f32"), logits)
    meta = dict(args, input_shape=list(args["input_shape"]), batch=2, keras_version=keras.__version__,
                max_abs_logit=float(np.abs(logits).max()))
    # The headless model (include_top=False, pooling='avg') on the same weights: the '-no-top' files' counterpart.
    headless = NASNet(weights=None, include_top=False, pooling="avg", filter_multiplier=2,
                                                **{k: v for k, v in args.items() if k != "classes"})
    for layer in headless.layers:
        if layer.weights:
            layer.set_weights(model.get_layer(layer.name).get_weights())
    features = headless.predict(x, verbose=0)
    with h5py.File(os.path.join(out, name + "-no-top.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, headless)
    write_f32(os.path.join(out, name + ".features.f32"), features)
    meta["features"] = int(features.shape[-1])
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(name, "params", model.count_params(), "logits", logits.shape, "max |logit|", meta["max_abs_logit"])


def inception_eval(image_uint8, size):
    """Slim's inception_preprocessing for evaluation, in TensorFlow's ops."""
    img = tf.image.convert_image_dtype(tf.constant(image_uint8), tf.float32)
    img = tf.image.central_crop(img, 0.875)
    img = tf.compat.v1.image.resize_bilinear(img[None], [size, size], align_corners=False)[0]
    return ((img - 0.5) * 2.0).numpy()


def keras_mode(image_uint8, size):
    """Keras' NASNet preprocess_input ('tf' mode) on the image resized to the model's size (bilinear, half-pixel)."""
    img = tf.image.resize(tf.cast(tf.constant(image_uint8), tf.float32), [size, size], method="bilinear")
    return (img / 127.5 - 1.0).numpy()


def make_images(out):
    rng = np.random.default_rng(7)
    h, w = 45, 61
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.stack([(xx * 4) % 256, (yy * 5) % 256, (xx * yy) % 256], -1).astype(np.uint8)
    rgb = np.clip(rgb.astype(int) + rng.integers(-20, 21, rgb.shape), 0, 255).astype(np.uint8)
    Image.fromarray(rgb).save(os.path.join(out, "image.png"))
    Image.fromarray(rgb).save(os.path.join(out, "image.jpg"), quality=90)
    meta = {"width": w, "height": h, "sizes": [32, 40]}
    for ext, decode in (("png", tf.io.decode_png), ("jpg", tf.io.decode_jpeg)):
        decoded = decode(tf.io.read_file(os.path.join(out, "image." + ext)), channels=3).numpy()
        for size in meta["sizes"]:
            write_f32(os.path.join(out, f"image.{ext}.inception{size}.f32"), inception_eval(decoded, size))
            write_f32(os.path.join(out, f"image.{ext}.keras{size}.f32"), keras_mode(decoded, size))
    # Other colour models the reader must convert: grayscale, palette, 16-bit, grayscale+alpha, RGBA.
    gray = (rgb.mean(-1)).astype(np.uint8)
    Image.fromarray(gray, "L").save(os.path.join(out, "gray.png"))
    Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=32).save(os.path.join(out, "palette.png"))
    Image.fromarray(gray.astype(np.uint16) * 257).save(os.path.join(out, "gray16.png"))
    Image.fromarray(np.dstack([rgb, np.full((h, w), 200, np.uint8)]), "RGBA").save(os.path.join(out, "rgba.png"))
    Image.fromarray(rgb).convert("CMYK").save(os.path.join(out, "cmyk.jpg"))
    for name in ("gray.png", "palette.png", "gray16.png", "rgba.png", "cmyk.jpg"):
        data = tf.io.read_file(os.path.join(out, name))
        try:
            decoded = tf.io.decode_image(data, channels=3, expand_animations=False).numpy()
            write_f32(os.path.join(out, name + ".inception32.f32"), inception_eval(decoded, 32))
            meta[name] = "decoded"
        except Exception as e:  # noqa: BLE001 - record what TensorFlow says
            meta[name] = "error: " + str(e).splitlines()[0]
    with open(os.path.join(out, "images.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print("images", meta)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (name, args) in enumerate(MODELS.items()):
        make_model(out, name, args, seed=100 + i)
    make_images(out)


if __name__ == "__main__":
    main()
