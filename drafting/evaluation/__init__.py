"""The eval harness: suites of cases, run over prompt versions × models × repeats, scored by the
check library and each case's expectations, recorded, reported and compared.

Named ``evaluation`` so it does not clash with the top-level ``evals/`` folder of suites.
"""
