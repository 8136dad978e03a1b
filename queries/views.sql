-- One view per LaunchBench table over the committed Parquet. From the repository root:
--     duckdb -init queries/views.sql
-- launchbench.connect() runs this same file, with the folder replaced by the one it was given.
SET TimeZone = 'UTC';
CREATE OR REPLACE VIEW platforms AS SELECT * FROM read_parquet('dataset/data/platforms.parquet');
CREATE OR REPLACE VIEW actors AS SELECT * FROM read_parquet('dataset/data/actors.parquet');
CREATE OR REPLACE VIEW sources AS SELECT * FROM read_parquet('dataset/data/sources.parquet');
CREATE OR REPLACE VIEW launches AS SELECT * FROM read_parquet('dataset/data/launches.parquet');
CREATE OR REPLACE VIEW observations AS SELECT * FROM read_parquet('dataset/data/observations.parquet');
CREATE OR REPLACE VIEW claims AS SELECT * FROM read_parquet('dataset/data/claims.parquet');
CREATE OR REPLACE VIEW timeline AS SELECT * FROM read_parquet('dataset/data/timeline.parquet');
CREATE OR REPLACE VIEW reactions AS SELECT * FROM read_parquet('dataset/data/reactions.parquet');
CREATE OR REPLACE VIEW launch_metrics AS SELECT * FROM read_parquet('dataset/data/launch_metrics.parquet');
CREATE OR REPLACE VIEW benchmark_questions AS SELECT * FROM read_parquet('dataset/data/benchmark_questions.parquet');
CREATE OR REPLACE VIEW benchmark_claims AS SELECT * FROM read_parquet('dataset/data/benchmark_claims.parquet');
