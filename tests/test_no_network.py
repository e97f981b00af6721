import socket

import pytest


def test_opening_an_internet_socket_fails_loudly_in_the_suite():
    with pytest.raises(RuntimeError, match="network"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_unix_socket_pairs_still_work_for_the_event_loop():
    a, b = socket.socketpair()
    a.close()
    b.close()
