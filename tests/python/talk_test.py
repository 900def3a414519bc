"""The Python programs' shared plumbing (python/talk.py): the name rule, markers passed back
exactly, which answers are asked again, and the output tree. The programs themselves run
end to end in tests/harness/run/peers_test.cpp, verified by billion."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import talk  # noqa: E402


class Names(unittest.TestCase):
    def test_the_contracts_names_pass_and_paths_do_not(self):
        tree = talk.Tree("/nonexistent", 3)
        for good in ["a", "file_000001.bin", "A.b-c_9", "x" * 255]:
            self.assertTrue(tree.check(good), good)
        for bad in ["", ".", "..", "../escape", "/abs", "a/b", "a\0b", "x" * 256, "é", 7, None]:
            self.assertFalse(tree.check(bad), repr(bad))
        self.assertEqual(len(tree.failures), 11)

    def test_a_name_written_twice_is_refused_and_the_first_kept(self):
        with tempfile.TemporaryDirectory() as out:
            tree = talk.Tree(out, 2)
            tree.write("f.bin", b"first")
            with self.assertRaises(FileExistsError):
                tree.write("f.bin", b"second")
            with open(os.path.join(out, talk.shard_of("f.bin", 2), "f.bin"), "rb") as f:
                self.assertEqual(f.read(), b"first")


class Markers(unittest.TestCase):
    def test_a_marker_goes_back_percent_encoded_exactly(self):
        self.assertEqual(talk.list_url("http://h:1", None), "http://h:1/list")
        self.assertEqual(talk.list_url("http://h:1", "t+/= &?"), "http://h:1/list?next-marker=t%2B%2F%3D%20%26%3F")

    def test_the_last_page_has_no_marker(self):
        self.assertEqual(talk.page_of({"FileNames": ["a"], "NextMarker": "m"}), (["a"], "m"))
        self.assertEqual(talk.page_of({"FileNames": []}), ([], None))
        with self.assertRaises(KeyError):
            talk.page_of({"Names": []})
        with self.assertRaises(ValueError):
            talk.page_of({"FileNames": "a"})


class Walks(unittest.TestCase):
    def test_a_walk_ends_at_no_marker_and_refuses_a_repeat(self):
        walk = talk.Walk()
        self.assertEqual((walk.marker, walk.done), (None, False))
        walk.advance("a")
        walk.advance("b")
        with self.assertRaises(ValueError):
            walk.advance("a")
        walk.advance(None)
        self.assertTrue(walk.done)


class Retries(unittest.TestCase):
    def test_only_throttling_and_server_faults_are_asked_again_and_not_forever(self):
        self.assertIsNone(talk.retry_after(404, {}, 0))
        self.assertIsNone(talk.retry_after(400, {}, 0))
        self.assertEqual(talk.retry_after(429, {"Retry-After": "2"}, 0), 2.0)
        self.assertEqual(talk.retry_after(503, {"Retry-After": "600"}, 0), 5.0)  # bounded
        self.assertAlmostEqual(talk.retry_after(500, {}, 2), 0.04)
        self.assertIsNone(talk.retry_after(500, {}, talk.TRIES - 1))


class Shards(unittest.TestCase):
    def test_shards_are_hex_of_the_asked_width_and_spread(self):
        shards = {talk.shard_of(f"file_{i:06d}.bin", 2) for i in range(2000)}
        self.assertTrue(all(len(s) == 2 and int(s, 16) >= 0 for s in shards))
        self.assertGreater(len(shards), 200)  # of 256


if __name__ == "__main__":
    unittest.main()
