-- The access matrix pages through all users sorted by name or by last sign-in (100,000+ rows); these indexes
-- match its ORDER BY expressions so a page is an index range scan, not a sort of the whole table.
CREATE INDEX "users_matrix_name_idx" ON "users" (lower(COALESCE("name", "email")), "id");
CREATE INDEX "users_matrix_last_login_idx" ON "users" (COALESCE("last_login_at", '-infinity'::timestamptz) DESC, "id" DESC);
