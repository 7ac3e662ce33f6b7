-- Requests tied to the claim they are about, disputes limited per account, and what an owner set
-- cleared from records whose claim has already ended.

-- A record's claim generation goes up by one each time it is taken (unclaimed to pending or
-- claimed): (record, generation) names one claim from its start to its end.
ALTER TABLE authors ADD COLUMN claim_generation BIGINT NOT NULL DEFAULT 0;
UPDATE authors SET claim_generation = 1 WHERE claim_state <> 'unclaimed';

-- The claim a request is about: the one it asked for (a claim) or the one it disputes.
ALTER TABLE claim_requests ADD COLUMN claim_generation BIGINT;
UPDATE claim_requests r SET claim_generation = a.claim_generation FROM authors a WHERE a.id = r.author_id;
ALTER TABLE claim_requests ALTER COLUMN claim_generation SET NOT NULL;

-- 'stale': the claim it was about ended before a moderator decided it.
ALTER TABLE claim_requests DROP CONSTRAINT claim_requests_status_check;
ALTER TABLE claim_requests ADD CONSTRAINT claim_requests_status_check
    CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn', 'stale'));

-- Open disputes of a record that is unclaimed now, or was taken again after they were filed,
-- are about a claim that has ended.
UPDATE claim_requests r SET status = 'stale', decided_at = now()
FROM authors a
WHERE a.id = r.author_id AND r.kind = 'dispute' AND r.status = 'open'
  AND (a.claim_state = 'unclaimed' OR EXISTS (
      SELECT 1 FROM claim_audit c
      WHERE c.author_id = r.author_id AND c.from_state = 'unclaimed' AND c.created_at > r.created_at));

-- One open dispute per account and record: later duplicates are closed, the oldest stays.
UPDATE claim_requests r SET status = 'withdrawn', decided_at = now(), decision = 'a duplicate of an open dispute'
WHERE r.kind = 'dispute' AND r.status = 'open' AND EXISTS (
    SELECT 1 FROM claim_requests o
    WHERE o.kind = 'dispute' AND o.status = 'open' AND o.user_id = r.user_id AND o.author_id = r.author_id
      AND o.id < r.id);
-- Leads with the account, so counting an account's open disputes reads this index too.
CREATE UNIQUE INDEX claim_requests_one_open_dispute_key ON claim_requests (user_id, author_id)
    WHERE status = 'open' AND kind = 'dispute';

-- Records released or revoked before claims cleared what their owner set.
UPDATE authors SET bio = NULL, homepage_url = NULL, affiliation_institution_id = NULL, affiliation_text = NULL,
    open_to_collaborate = DEFAULT
WHERE claim_state = 'unclaimed'
  AND (bio IS NOT NULL OR homepage_url IS NOT NULL OR affiliation_institution_id IS NOT NULL
       OR affiliation_text IS NOT NULL OR NOT open_to_collaborate);
DELETE FROM hidden_works h USING authors a WHERE a.id = h.author_id AND a.claim_state = 'unclaimed';
