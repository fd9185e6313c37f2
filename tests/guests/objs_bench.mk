# The micro-benchmark guest run by `make bench` (bench/run.py).
GUESTS += bench
