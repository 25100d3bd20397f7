HOST_TEST_SRCS_account := mm/account.c
