"""Public contract awards (OCDS) as market evidence: reading, compiling and matching them.

``ocds`` streams releases out of release packages, record packages and line-delimited files;
``compile`` groups them by process and compiles each with the Open Contracting Partnership's
``ocdsmerge``; ``extract`` turns a compiled release into an ``AwardedProcess`` under the
bad-data rules; ``names`` matches buyers and suppliers to what the knowledge base knows.
"""
