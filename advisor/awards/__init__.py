"""Public contract awards (OCDS) as market evidence: reading, compiling and matching them.

``ocds`` streams releases out of release packages, record packages and line-delimited files;
``compile`` compiles the releases of one process into one record, with the Open Contracting
Partnership's ``ocdsmerge`` wherever a real merge is needed; ``extract`` turns a compiled
release into an ``AwardedProcess`` under the bad-data rules; ``names`` matches buyers and
suppliers to what the knowledge base knows.
"""
