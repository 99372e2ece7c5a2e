//! Legacy Vietnamese font encodings (TCVN3/ABC, VNI): byte-to-Unicode tables.
