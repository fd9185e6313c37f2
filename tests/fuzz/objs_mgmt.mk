FUZZERS += mgmt
fuzz_mgmt_SRCS := tests/fuzz/fuzz_mgmt.c vm/mgmt/req.c
