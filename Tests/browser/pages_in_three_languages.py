"""Every page the district clerk reaches, in each of the three languages, shows nothing of the
database's (issue 14): no stored time, no parameter key, no snake-case code, and in English no
full-width punctuation beside a Latin word. Run by .ci/run on the demo as it starts — before the
other suites type their own data into it — and only reads."""
import unittest

import forms_and_pages


class PagesInThreeLanguages(forms_and_pages.PagesAndForms):
    def test_pages_in_three_languages_show_nothing_internal(self):
        """Every page the district clerk reaches, in each language, shows no stored time, no
        parameter key, no snake-case code, and in English no full-width punctuation (issue 14)."""
        problems = []
        for language in ("zh-Hans", "zh-Hant", "en"):
            seen, found, _, _ = self.walk("district", language=language, post=False)
            print(f"{language}: {len(seen)} pages walked")
            self.assertGreater(len(seen), 20)
            problems += found
        self.assertEqual(problems, [], "\n".join(sorted(set(problems))[:200]))


    # The walk with posts belongs to forms_and_pages.py, run last.
    test_pages_show_no_stored_time_and_forms_refuse_bad_input = None


if __name__ == "__main__":
    unittest.main()
