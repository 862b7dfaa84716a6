-- A step task that prepares from what its planner already read (ADR 181) claims its step in the
-- statement that starts it: the claim holds only while the step is PENDING and its run is not
-- cancelled. Otherwise the statement fails with SQLSTATE HS409, the transaction rolls back, and
-- the task reads the step afresh.
CREATE OR REPLACE FUNCTION step_claimable(ok boolean) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'the step is no longer claimable' USING ERRCODE = 'HS409';
  END IF;
  RETURN true;
END $$;
