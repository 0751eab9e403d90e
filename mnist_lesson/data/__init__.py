"""The digits: MNIST's sprite format (``sprite``), its download (``download``), and the
loaded, split and batched data (``mnist``: ``MnistData``, ``cache_folder``, ``batches``);
real pen-drawn digits (``pen_digits``, downloaded by ``pen_download``)."""
