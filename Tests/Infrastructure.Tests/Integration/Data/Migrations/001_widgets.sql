-- Test migration: proves files are applied in order, once.
CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL);
