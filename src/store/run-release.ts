// Handing a claimed run back: a replica that stops before its run finished gives up its lease, so
// another replica takes the slot over at its next check instead of waiting for the lease to run out.
// Only the owner may, and only while the run is still claimed (a finished run stays finished).
export const RELEASE_RUN_SQL = (p: (n: number) => string) =>
  `UPDATE aoai_runs SET lease_until = ${p(3)}, updated_at = ${p(3)} WHERE key = ${p(1)} AND owner = ${p(2)} AND status = 'claimed' RETURNING key`;
