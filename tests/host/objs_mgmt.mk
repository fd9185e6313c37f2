# Host tests of the management interface's pure parts (vm/mgmt/, vm/con_buf.c).
HOST_TESTS += sha256 mgmt_req con_buf
test_sha256_SRCS := tests/host/test_sha256.c vm/mgmt/sha256.c
test_mgmt_req_SRCS := tests/host/test_mgmt_req.c vm/mgmt/req.c
test_con_buf_SRCS := tests/host/test_con_buf.c vm/con_buf.c
