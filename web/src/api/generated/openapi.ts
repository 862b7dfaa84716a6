/**
 * Generated from the OpenAPI document by `npm run build:api-client` (infra/build/api-client.ts).
 * Do not edit: a unit test fails when this file differs from what the route table generates.
 */
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and version */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Model Context Protocol (streamable HTTP, JSON responses): each workflow is a tool */
        post: operations["callMcp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as OpenAPI 3.1 */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 when the database answers, else 503 */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents */
        get: operations["listAgents"];
        put?: never;
        /** Create an agent */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an agent by id or slug */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /** Delete an agent */
        delete: operations["deleteAgent"];
        options?: never;
        head?: never;
        /** Change an agent (new version) */
        patch: operations["updateAgent"];
        trace?: never;
    };
    "/v1/agents/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export an agent as a file (JSON or YAML) */
        get: operations["exportAgent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a saved version (rollback) */
        post: operations["publishAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}/try": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Try an agent alone: a one-step run (ADR 164) */
        post: operations["tryAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agent versions */
        get: operations["listAgentVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an agent file (JSON or YAML): created, updated as a new version, or unchanged */
        post: operations["importAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key (secret shown once) */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The approval inbox: steps waiting for a decision */
        get: operations["listWaitingApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the audit log */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify the audit chain and its signed anchors; reports the first broken link */
        get: operations["verifyAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with email and password: tokens or an MFA challenge */
        post: operations["logIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a refresh token family */
        post: operations["logOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign-in step two: a TOTP or recovery code for an MFA token */
        post: operations["createAuthMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/mfa/enrol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign-in enrolment when the tenant requires MFA */
        post: operations["createAuthMfaEnrol"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a refresh token */
        post: operations["refreshTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant and its owner */
        post: operations["signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/sso/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish a single sign-on: tokens for the tenant */
        post: operations["createAuthSsoCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/sso/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a single sign-on: the provider URL (PKCE) */
        post: operations["createAuthSsoStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tokens for another tenant of the signed-in user */
        post: operations["createAuthSwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List batches */
        get: operations["listBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A batch: counts by status and its runs (paged) */
        get: operations["getBatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batches/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a batch and its unfinished runs */
        post: operations["cancelBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monthly budgets with spent and in-flight amounts */
        get: operations["getBudgets"];
        /** Set the monthly budget of the tenant and of workflows */
        put: operations["setBudgets"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invitations (pending, accepted, revoked, expired) */
        get: operations["listInvitations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a pending invitation */
        delete: operations["deleteInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: signed in (bearer token) or with a new password */
        post: operations["createInvitationAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What an invitation token invites to */
        post: operations["createInvitationLookup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List knowledge bases */
        get: operations["listKnowledgeBases"];
        put?: never;
        /** Create a knowledge base (embedding model and chunking are fixed for its life) */
        post: operations["createKnowledgeBase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a knowledge base */
        get: operations["getKnowledgeBase"];
        put?: never;
        post?: never;
        /** Delete a knowledge base with its documents and chunks */
        delete: operations["deleteKnowledgeBase"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases/{id}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List documents with status and chunk count */
        get: operations["listKnowledgeBaseDocuments"];
        put?: never;
        /** Add a document: {title, text} ingests at once; {filename, contentType} returns a presigned uploadUrl */
        post: operations["createKnowledgeBaseDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases/{id}/documents/{docId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a document */
        get: operations["getKnowledgeBaseDocument"];
        put?: never;
        post?: never;
        /** Delete a document and its chunks */
        delete: operations["deleteKnowledgeBaseDocument"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases/{id}/documents/{docId}/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ingest (or re-ingest) a document, e.g. after its upload */
        post: operations["ingestKnowledgeBaseDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge-bases/{id}/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hybrid search (vector + full text, reciprocal rank fusion) with citations */
        post: operations["searchKnowledgeBase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My second factor */
        get: operations["listMeMfa"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn MFA on with a first code */
        post: operations["createMeMfaConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn MFA off (needs a fresh code) */
        post: operations["createMeMfaDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/enrol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start TOTP enrolment (otpauth URI and QR code) */
        post: operations["createMeMfaEnrol"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List members */
        get: operations["listMembers"];
        put?: never;
        /** Invite a member (same answer whether or not they have an account) */
        post: operations["createMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member */
        delete: operations["deleteMember"];
        options?: never;
        head?: never;
        /** Change a member role */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/v1/prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Model prices in effect for this tenant (platform list prices and tenant prices) */
        get: operations["listPrices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/prices/{provider}/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** A new version of this tenant's price for a model */
        put: operations["setPrice"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Providers: whose key, last 4, base URL, breaker state */
        get: operations["listProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers/{provider}/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Store the tenant key for a provider (never read back) */
        put: operations["setProviderKey"];
        post?: never;
        /** Remove the tenant key for a provider */
        delete: operations["deleteProviderKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List runs */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run with its steps and attempts */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a run */
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run timeline */
        get: operations["listRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/rerun": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-run, reusing finished steps before fromStep */
        post: operations["rerunRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/steps/{stepId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One step, its prompt and output in full */
        get: operations["getRunStep"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/steps/{stepId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a waiting approval step */
        post: operations["approveRunStep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/steps/{stepId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a waiting approval step */
        post: operations["rejectRunStep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run's events as Server-Sent Events */
        get: operations["streamRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List schedules */
        get: operations["listSchedules"];
        put?: never;
        /** Run a workflow on a cron in a time zone */
        post: operations["createSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a schedule with its next firings */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /** Delete a schedule */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        /** Change a schedule (cron, zone, input, enable) */
        patch: operations["updateSchedule"];
        trace?: never;
    };
    "/v1/settings/pii": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant PII policy */
        get: operations["listSettingPii"];
        /** Set the tenant PII policy */
        put: operations["setSettingPii"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tenant sign-in policy */
        get: operations["listSettingSecurity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the tenant sign-in policy */
        patch: operations["updateSettingSecurity"];
        trace?: never;
    };
    "/v1/settings/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant single sign-on (OpenID Connect) */
        get: operations["listSettingSso"];
        /** Configure single sign-on (the secret is never read back) */
        put: operations["setSettingSso"];
        post?: never;
        /** Remove single sign-on (and SSO-only) */
        delete: operations["deleteSettingSso"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/triggers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List triggers */
        get: operations["listTriggers"];
        put?: never;
        /** Create a trigger (the webhook secret is shown once) */
        post: operations["createTrigger"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/triggers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a trigger */
        get: operations["getTrigger"];
        put?: never;
        post?: never;
        /** Delete a trigger and its secrets */
        delete: operations["deleteTrigger"];
        options?: never;
        head?: never;
        /** Change a trigger (credentials are write-only) */
        patch: operations["updateTrigger"];
        trace?: never;
    };
    "/v1/triggers/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deliveries a trigger received and what became of them */
        get: operations["listTriggerDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cost and tokens grouped by workflow, run, step, provider, model, day */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/github/{triggerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive a GitHub delivery (X-Hub-Signature-256) */
        post: operations["receiveGithubWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/jira/{triggerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive a Jira delivery (X-Hub-Signature) */
        post: operations["receiveJiraWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workflows */
        get: operations["listWorkflows"];
        put?: never;
        /** Create a workflow */
        post: operations["createWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a workflow by id or slug */
        get: operations["getWorkflow"];
        put?: never;
        post?: never;
        /** Delete a workflow */
        delete: operations["deleteWorkflow"];
        options?: never;
        head?: never;
        /** Change a workflow (new version) */
        patch: operations["updateWorkflow"];
        trace?: never;
    };
    "/v1/workflows/{id}/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a batch: one run per input (JSON body, or JSONL with application/x-ndjson) */
        post: operations["createWorkflowBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export a workflow as a file (JSON or YAML) */
        get: operations["exportWorkflow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a saved version (rollback) */
        post: operations["publishWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a run */
        post: operations["startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workflow versions */
        get: operations["listWorkflowVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import a workflow file (JSON or YAML): created, updated as a new version, or unchanged */
        post: operations["importWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Agent: {
            createdAt: string;
            /** @default [] */
            fallbacks: string[];
            id: components["schemas"]["Uuid"];
            knowledgeBaseIds?: components["schemas"]["Uuid"][];
            maxTurns?: number;
            model: string;
            name: string;
            outputSchema?: {
                [key: string]: unknown;
            };
            /** @default {} */
            parameters: components["schemas"]["AgentParameters"];
            publishedVersion: number;
            /** @default  */
            role: string;
            slug: string;
            /** @default  */
            systemPrompt: string;
            tools?: string[];
            updatedAt: string;
            version: number;
        };
        AgentCreateBody: {
            /** @default [] */
            fallbacks?: string[];
            knowledgeBaseIds?: components["schemas"]["Uuid"][];
            maxTurns?: number;
            model: string;
            name: string;
            outputSchema?: {
                [key: string]: unknown;
            };
            /** @default {} */
            parameters?: components["schemas"]["AgentParametersInput"];
            /** @default  */
            role?: string;
            slug: components["schemas"]["Slug"];
            /** @default  */
            systemPrompt?: string;
            tools?: string[];
        };
        AgentCreateBodyInput: {
            /** @default [] */
            fallbacks: string[];
            knowledgeBaseIds?: components["schemas"]["Uuid"][];
            maxTurns?: number;
            model: string;
            name: string;
            outputSchema?: {
                [key: string]: unknown;
            };
            /** @default {} */
            parameters: components["schemas"]["AgentParameters"];
            /** @default  */
            role: string;
            slug: components["schemas"]["Slug"];
            /** @default  */
            systemPrompt: string;
            tools?: string[];
        };
        AgentParameters: {
            maxTokens?: number;
            temperature?: number;
        };
        AgentParametersInput: {
            maxTokens?: number;
            temperature?: number;
        };
        AgentPatchBody: {
            fallbacks?: string[] | null;
            knowledgeBaseIds?: components["schemas"]["Uuid"][] | null;
            maxTurns?: number | null;
            model?: string;
            name?: string;
            outputSchema?: {
                [key: string]: unknown;
            } | null;
            parameters?: components["schemas"]["AgentParametersInput"] | null;
            role?: string | null;
            systemPrompt?: string | null;
            tools?: string[] | null;
        };
        AgentPublishBody: {
            version: number;
        };
        AgentSpec: {
            /** @default [] */
            fallbacks: string[];
            knowledgeBaseIds?: components["schemas"]["Uuid"][];
            maxTurns?: number;
            model: string;
            name: string;
            outputSchema?: {
                [key: string]: unknown;
            };
            /** @default {} */
            parameters: components["schemas"]["AgentParameters"];
            /** @default  */
            role: string;
            /** @default  */
            systemPrompt: string;
            tools?: string[];
        };
        AgentTryBody: {
            prompt: string;
            version?: number;
        };
        AgentVersion: {
            createdAt: string;
            createdBy: string | null;
            spec: components["schemas"]["AgentSpec"];
            version: number;
        };
        ApiKey: {
            createdAt: string;
            createdBy: components["schemas"]["CreatedBy"];
            expiresAt: string | null;
            id: components["schemas"]["Uuid"];
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            role: components["schemas"]["Role"];
        };
        ApiKeyCreateBody: {
            /** Format: date-time */
            expiresAt?: string;
            name: string;
            /**
             * @default dev
             * @enum {string}
             */
            role?: "admin" | "dev" | "viewer";
        };
        ApiKeyCreated: {
            createdAt: string;
            createdBy: components["schemas"]["CreatedBy"];
            expiresAt: string | null;
            id: components["schemas"]["Uuid"];
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            role: components["schemas"]["Role"];
            secret: string;
        };
        ApiKeyCreatedBy: {
            email: string | null;
            id: components["schemas"]["Uuid"];
        };
        ApprovalBody: {
            comment?: string;
        };
        Attempt: {
            costUsd: number;
            errorMessage?: string;
            errorName?: string;
            inputTokens: number;
            latencyMs: number;
            model: string;
            n: number;
            outcome: string;
            outputTokens: number;
            provider: string;
        };
        AuditEntry: {
            action: string;
            actor: string;
            at: string;
            data?: unknown;
            hash: string;
            seq: number;
            target: string | null;
        };
        AuditVerification: {
            anchors: {
                count: number;
                latest: {
                    at: string;
                    seq: number;
                } | null;
            };
            entries: number;
            firstBroken: {
                reason: string;
                seq: number;
            } | null;
            head: {
                hash: string;
                seq: number;
            } | null;
            ok: boolean;
        };
        Budgets: {
            month: string;
            tenant: {
                monthlyLimitUsd: number | null;
                remainingUsd: number | null;
                reservedUsd: number;
                spentUsd: number;
            };
            workflows: {
                monthlyLimitUsd: number | null;
                remainingUsd: number | null;
                reservedUsd: number;
                spentUsd: number;
                workflowId: string;
                workflowSlug?: string;
            }[];
        };
        BudgetsBody: {
            monthlyLimitUsd?: components["schemas"]["MonthlyLimitUsd"];
            workflows?: {
                monthlyLimitUsd: components["schemas"]["MonthlyLimitUsd"];
                workflow: components["schemas"]["IdOrSlug"];
            }[];
        };
        Chunking: {
            /** @default 150 */
            overlap?: number;
            /** @default 1000 */
            size?: number;
        };
        Condition: {
            contains?: components["schemas"]["In"];
            equals?: unknown;
            exists?: boolean;
            gt?: number;
            gte?: number;
            in?: components["schemas"]["In"][];
            lt?: number;
            lte?: number;
            matches?: string;
            notEquals?: unknown;
            path: components["schemas"]["ConditionPath"];
        } | {
            all: components["schemas"]["Condition"][];
        } | {
            any: components["schemas"]["Condition"][];
        } | {
            not: components["schemas"]["Condition"];
        };
        ConditionPath: string;
        Counts: {
            cancelled: number;
            failed: number;
            notStarted: number;
            queued: number;
            running: number;
            succeeded: number;
            total: number;
            waiting: number;
        };
        CreatedBy: components["schemas"]["ApiKeyCreatedBy"] | null;
        CreateScheduleVersion: number | null;
        /** @enum {string} */
        CreateWorkflowBatchStatus: "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
        Credentials: components["schemas"]["TriggerCredentials2"] | null;
        /** @enum {string} */
        CredentialsType: "token" | "app" | "basic";
        Delivery: {
            deliveryId: string | null;
            event: string | null;
            id: components["schemas"]["Uuid"];
            outcome: components["schemas"]["DeliveryOutcome"];
            reason: string | null;
            receivedAt: string;
            runId: components["schemas"]["LastRunId"];
        };
        /** @enum {string} */
        DeliveryOutcome: "started" | "ignored" | "duplicate" | "rejected" | "answered" | "refused";
        Document: {
            chunkCount: number;
            contentHash?: string;
            contentType?: string;
            createdAt: string;
            error?: string;
            filename?: string;
            id: components["schemas"]["Uuid"];
            ingestedAt?: string;
            knowledgeBaseId: components["schemas"]["Uuid"];
            metadata: {
                [key: string]: unknown;
            };
            reusedChunkCount: number;
            /** @enum {string} */
            source: "text" | "upload";
            status: components["schemas"]["DocumentStatus"];
            title: string;
            updatedAt: string;
        };
        DocumentCreateBody: components["schemas"]["TextDocumentBody"] | components["schemas"]["UploadDocumentBody"];
        DocumentCreated: {
            chunkCount: number;
            contentHash?: string;
            contentType?: string;
            createdAt: string;
            duplicate?: boolean;
            error?: string;
            filename?: string;
            id: components["schemas"]["Uuid"];
            ingestedAt?: string;
            knowledgeBaseId: components["schemas"]["Uuid"];
            metadata: {
                [key: string]: unknown;
            };
            reusedChunkCount: number;
            /** @enum {string} */
            source: "text" | "upload";
            status: components["schemas"]["DocumentStatus"];
            title: string;
            updatedAt: string;
            uploadExpiresAt?: string;
            uploadUrl?: string;
        };
        /** @enum {string} */
        DocumentStatus: "queued" | "extracting" | "chunking" | "embedding" | "ready" | "failed";
        /** @enum {string} */
        Email: "allow" | "mask_logs" | "mask_provider";
        EmbeddingModelRef: string;
        Error: {
            message: string;
            name: string;
        };
        ErrorBody: {
            error: {
                code: string;
                details?: {
                    message: string;
                    path: string;
                }[];
                message: string;
            };
        };
        From: string;
        GatedOutput: {
            chars: number;
            nodeId: string;
            output: string;
            truncated: boolean;
        };
        IdOrSlug: string;
        ImportOutcome: {
            changed: string[];
            id?: components["schemas"]["Uuid"];
            /** @enum {string} */
            kind: "agent" | "workflow";
            /** @enum {string} */
            outcome: "created" | "updated" | "unchanged";
            slug: string;
            version: number;
        };
        ImportReport: {
            dryRun: boolean;
            items: components["schemas"]["ImportOutcome"][];
        };
        In: string | number | boolean | null;
        InputMapping: {
            [key: string]: string;
        };
        Invitation: {
            acceptedAt: string | null;
            createdAt: string;
            email: string;
            expiresAt: string;
            id: components["schemas"]["Uuid"];
            invitedBy: string;
            revokedAt: string | null;
            role: components["schemas"]["Role"];
            status: components["schemas"]["InvitationStatus"];
        };
        InvitationAcceptBody: {
            name?: string;
            password?: string;
            token: string;
        };
        InvitationCreated: {
            acceptedAt: string | null;
            acceptUrl: string | null;
            createdAt: string;
            email: string;
            expiresAt: string;
            id: components["schemas"]["Uuid"];
            invitedBy: string;
            revokedAt: string | null;
            role: components["schemas"]["Role"];
            status: components["schemas"]["InvitationStatus"];
            token: string;
        };
        InvitationLookupBody: {
            token: string;
        };
        InvitationPreview: {
            email: string;
            expiresAt: string;
            role: components["schemas"]["Role"];
            tenant: {
                name: string;
                slug: string;
            };
        };
        /** @enum {string} */
        InvitationStatus: "pending" | "accepted" | "revoked" | "expired";
        /** @enum {string} */
        KeyedProvider: "openai" | "anthropic" | "gemini" | "compatible" | "cohere" | "voyage" | "jina";
        KnowledgeBase: {
            chunking: {
                overlap: number;
                size: number;
            };
            createdAt: string;
            description: string;
            dimensions: number;
            documentCount: number;
            embeddingModel: string;
            id: components["schemas"]["Uuid"];
            name: string;
            rerank?: string | null;
            updatedAt: string;
        };
        KnowledgeBaseCreateBody: {
            /**
             * @default {
             *       "size": 1000,
             *       "overlap": 150
             *     }
             */
            chunking?: components["schemas"]["Chunking"];
            /** @default  */
            description?: string;
            dimensions?: number;
            /** @default local */
            embeddingModel?: components["schemas"]["EmbeddingModelRef"];
            name: string;
            rerank?: components["schemas"]["RerankRef"];
        };
        LastRunId: components["schemas"]["Uuid"] | null;
        ListBatches: {
            counts: components["schemas"]["Counts"];
            createdAt: string;
            error?: components["schemas"]["Error"];
            finishedAt?: string;
            id: components["schemas"]["Uuid"];
            maxConcurrency: number;
            status: components["schemas"]["CreateWorkflowBatchStatus"];
            workflowId: components["schemas"]["Uuid"];
            workflowSlug: string;
            workflowVersion: number;
        };
        ListRuns: {
            items: components["schemas"]["RunSummary"][];
            nextCursor?: string;
        };
        ListSchedules: {
            createdAt: string;
            cron: string;
            enabled: boolean;
            id: components["schemas"]["Uuid"];
            input: {
                [key: string]: unknown;
            };
            lastError: string | null;
            lastFiredAt: string | null;
            lastRunId: components["schemas"]["LastRunId"];
            nextFireAt: string | null;
            timezone: string;
            upcoming: string[];
            updatedAt: string;
            version: components["schemas"]["Version"];
            workflowId: components["schemas"]["Uuid"];
            workflowSlug: string;
        };
        LoginBody: {
            email: string;
            password: string;
            tenant?: string;
        };
        LogoutBody: {
            refreshToken: string;
        };
        Me: {
            role: components["schemas"]["Role"];
            tenant: {
                id: components["schemas"]["Uuid"];
                name: string;
                slug: string;
            };
            user: {
                email: string;
                id: components["schemas"]["Uuid"];
                name: string | null;
            } | null;
            /** @enum {string} */
            via: "token" | "apiKey";
        };
        Member: {
            createdAt: string;
            email: string;
            id: components["schemas"]["Uuid"];
            name: string | null;
            role: components["schemas"]["Role"];
        };
        MemberCreateBody: {
            email: string;
            expiresInHours?: number;
            password?: unknown;
            role: components["schemas"]["Role"];
        };
        MemberPatchBody: {
            role: components["schemas"]["Role"];
        };
        Metadata: string | number | boolean;
        MfaChallenge: {
            enrolment: boolean;
            expiresIn: number;
            /** @constant */
            mfaRequired: true;
            mfaToken: string;
            tenant: components["schemas"]["TenantChoice"];
        };
        MfaConfirmBody: {
            code: string;
        };
        MfaDisableBody: {
            code?: string;
            recoveryCode?: string;
        };
        MfaEnrolDuringSignInBody: {
            mfaToken: string;
        };
        MfaEnrolment: {
            otpauthUri: string;
            qrCode: string;
            secret: string;
        };
        MfaRecoveryCodes: {
            recoveryCodes: string[];
        };
        MfaSignInResult: {
            accessToken: string;
            expiresIn: number;
            recoveryCodes?: string[];
            refreshToken: string;
            tenant: components["schemas"]["TenantChoice"];
            tenants: components["schemas"]["TenantChoice"][];
            /** @constant */
            tokenType: "Bearer";
        } | components["schemas"]["MfaChallenge"];
        MfaStatus: {
            enabled: boolean;
            enabledAt: string | null;
            recoveryCodesLeft: number;
        };
        MfaVerifyBody: {
            code?: string;
            mfaToken: string;
            recoveryCode?: string;
        };
        MonthlyLimitUsd: number | null;
        NodeId: string;
        PiiPolicy: {
            classes: {
                card?: components["schemas"]["Email"];
                email?: components["schemas"]["Email"];
                iban?: components["schemas"]["Email"];
                phone?: components["schemas"]["Email"];
                secret?: components["schemas"]["Email"];
            };
            /** @default [] */
            patterns?: {
                action: components["schemas"]["Email"];
                name: string;
                pattern: string;
            }[];
        };
        PiiPolicyView: {
            classes: {
                card: components["schemas"]["Email"];
                email: components["schemas"]["Email"];
                iban: components["schemas"]["Email"];
                phone: components["schemas"]["Email"];
                secret: components["schemas"]["Email"];
            };
            patterns: {
                action: components["schemas"]["Email"];
                name: string;
                pattern: string;
            }[];
        };
        Price: {
            cachedInputPerMtok: number;
            effectiveFrom: string;
            inputPerMtok: number;
            model: string;
            note?: string;
            outputPerMtok: number;
            provider: string;
            /** @enum {string} */
            source: "platform" | "tenant";
            version: number;
        };
        PriceBody: {
            cachedInputPerMtok?: number;
            /** Format: date-time */
            effectiveFrom?: string;
            inputPerMtok: number;
            note?: string;
            outputPerMtok: number;
        };
        /** Format: uri */
        ProviderBaseUrl: string;
        ProviderKeyBody: {
            apiKey: string;
            baseUrl?: components["schemas"]["ProviderBaseUrl"];
        };
        ProviderStatus: {
            baseUrl?: string;
            /** @enum {string} */
            circuit: "closed" | "open" | "half_open";
            /** @enum {string} */
            configured: "tenant" | "env" | "none";
            /** @enum {string} */
            kind: "models" | "rerank";
            last4?: string;
            note?: string;
            provider: components["schemas"]["KeyedProvider"];
            setAt?: string;
            simulated: boolean;
        };
        RerankRef: string;
        RerankTrace: {
            candidates: number;
            error?: string;
            latencyMs: number;
            model: string;
            moved: number;
            provider: string;
            ref: string;
            simulated: boolean;
        };
        RerunBody: {
            fromStep?: components["schemas"]["NodeId"];
            input?: {
                [key: string]: unknown;
            };
        };
        /** @enum {string} */
        Role: "owner" | "admin" | "dev" | "viewer";
        Run: {
            batchId?: components["schemas"]["Uuid"];
            batchIndex?: number;
            costUsd: number;
            error?: components["schemas"]["Error"];
            finishedAt?: string;
            id: components["schemas"]["Uuid"];
            input: unknown;
            itemIndex?: number;
            output?: unknown;
            parentRunId?: components["schemas"]["Uuid"];
            parentStepId?: components["schemas"]["Uuid"];
            scheduledFor?: string;
            scheduleId?: components["schemas"]["Uuid"];
            startedAt: string;
            status: components["schemas"]["Status"];
            steps: components["schemas"]["RunStep"][];
            workflowId: components["schemas"]["Uuid"];
            workflowSlug: string;
            workflowVersion: number;
        };
        RunEvent: {
            at: string;
            data?: unknown;
            message: string;
            nodeId?: string;
            seq: number;
            stepId?: string;
            type: string;
        };
        RunEvents: {
            items: components["schemas"]["RunEvent"][];
            nextAfter: number;
        };
        RunStartBody: {
            /** @default {} */
            input?: {
                [key: string]: unknown;
            };
            version?: number;
        };
        RunStarted: {
            runId: components["schemas"]["Uuid"];
            status: string;
        };
        RunStep: {
            attempts: components["schemas"]["Attempt"][];
            children?: {
                index?: number;
                runId: components["schemas"]["Uuid"];
                status: string;
            }[];
            costUsd: number;
            error?: components["schemas"]["Error"];
            finishedAt?: string;
            id: components["schemas"]["Uuid"];
            inputTokens: number;
            iteration?: number;
            model?: string;
            nodeId: string;
            output?: unknown;
            outputTokens: number;
            pii?: {
                masked: {
                    [key: string]: number;
                };
                toProvider: {
                    [key: string]: number;
                };
            };
            prompt?: string;
            provider?: string;
            skipReason?: string;
            startedAt?: string;
            /** @enum {string} */
            status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "SKIPPED" | "CANCELLED";
            truncated?: {
                output?: number;
                prompt?: number;
            };
            type: string;
        };
        RunSummary: {
            batchId?: components["schemas"]["Uuid"];
            batchIndex?: number;
            costUsd: number;
            error?: components["schemas"]["Error"];
            finishedAt?: string;
            id: components["schemas"]["Uuid"];
            input: unknown;
            itemIndex?: number;
            output?: unknown;
            parentRunId?: components["schemas"]["Uuid"];
            parentStepId?: components["schemas"]["Uuid"];
            scheduledFor?: string;
            scheduleId?: components["schemas"]["Uuid"];
            startedAt: string;
            status: components["schemas"]["Status"];
            workflowId: components["schemas"]["Uuid"];
            workflowSlug: string;
            workflowVersion: number;
        };
        SearchBody: {
            filter?: {
                documentIds?: components["schemas"]["Uuid"][];
                metadata?: {
                    [key: string]: components["schemas"]["Metadata"];
                };
            };
            /**
             * @default hybrid
             * @enum {string}
             */
            mode?: "hybrid" | "vector" | "text";
            /** @default 0 */
            offset?: number;
            query: string;
            rerank?: components["schemas"]["RerankRef"] | "none";
            rerankCandidates?: number;
            /** @default 5 */
            topK?: number;
        };
        SearchHit: {
            chunkId: components["schemas"]["Uuid"];
            documentId: components["schemas"]["Uuid"];
            end: number;
            fusedRank?: number;
            heading: string;
            rerankScore?: number;
            score: number;
            start: number;
            text: string;
            textRank?: number;
            title: string;
            vectorRank?: number;
        };
        SearchResult: {
            embeddingModel: string;
            items: components["schemas"]["SearchHit"][];
            /** @enum {string} */
            mode: "hybrid" | "vector" | "text";
            rerank?: components["schemas"]["RerankTrace"];
        };
        SecuritySettings: {
            mfaRequired: boolean;
        };
        SecuritySettingsPatch: {
            mfaRequired?: boolean;
        };
        SignedIn: {
            accessToken: string;
            expiresIn: number;
            refreshToken: string;
            tenant: components["schemas"]["TenantChoice"];
            tenants: components["schemas"]["TenantChoice"][];
            /** @constant */
            tokenType: "Bearer";
        };
        SignInResult: components["schemas"]["SignedIn"] | components["schemas"]["MfaChallenge"];
        SignupBody: {
            email: string;
            name?: string;
            password: string;
            tenantName: string;
        };
        Slug: string;
        SsoCallbackBody: {
            /** Format: uri */
            callbackUrl: string;
        };
        SsoSettings: {
            clientId: string;
            clientSecretLast4: string;
            defaultRole: components["schemas"]["Role"];
            issuer: string;
            roleClaim: string | null;
            roleMap: {
                [key: string]: components["schemas"]["Role"];
            } | null;
            ssoOnly: boolean;
            updatedAt: string;
        };
        SsoSettingsBody: {
            clientId: string;
            clientSecret?: string;
            /**
             * @default viewer
             * @enum {string}
             */
            defaultRole?: "admin" | "dev" | "viewer";
            /** Format: uri */
            issuer: string;
            roleClaim?: string | null;
            roleMap?: {
                [key: string]: "admin" | "dev" | "viewer";
            } | null;
            ssoOnly?: boolean;
        };
        SsoStart: {
            authorizationUrl: string;
            state: string;
        };
        SsoStartBody: {
            /** Format: uri */
            redirectUri: string;
            tenant: string;
        };
        /** @enum {string} */
        Status: "QUEUED" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
        StepId: components["schemas"]["Uuid"] | components["schemas"]["NodeId"];
        SwitchTenantBody: {
            tenant: string;
        };
        TenantChoice: {
            id: components["schemas"]["Uuid"];
            name: string;
            role: components["schemas"]["Role"];
            slug: string;
        };
        TextDocumentBody: {
            metadata?: {
                [key: string]: components["schemas"]["Metadata"];
            };
            text: string;
            title: string;
        };
        TokenPair: {
            accessToken: string;
            expiresIn: number;
            refreshToken: string;
            /** @constant */
            tokenType: "Bearer";
        };
        Trigger: {
            apiBaseUrl: string | null;
            createdAt: string;
            credentials: components["schemas"]["Credentials"];
            enabled: boolean;
            id: components["schemas"]["Uuid"];
            inputMapping: {
                [key: string]: string;
            };
            name: string;
            rules: components["schemas"]["TriggerRules"];
            secretHint: string;
            /** @enum {string} */
            source: "github" | "jira";
            updatedAt: string;
            webhookUrl: string;
            workflowId: components["schemas"]["Uuid"];
        };
        TriggerCreateBody: {
            /** Format: uri */
            apiBaseUrl?: string;
            credentials?: components["schemas"]["TriggerCredentials"];
            enabled?: boolean;
            inputMapping?: components["schemas"]["InputMapping"];
            name: string;
            rules: components["schemas"]["TriggerRules"];
            /** @enum {string} */
            source: "github" | "jira";
            workflowId: components["schemas"]["IdOrSlug"];
        };
        TriggerCreated: {
            apiBaseUrl: string | null;
            createdAt: string;
            credentials: components["schemas"]["Credentials"];
            enabled: boolean;
            id: components["schemas"]["Uuid"];
            inputMapping: {
                [key: string]: string;
            };
            name: string;
            rules: components["schemas"]["TriggerRules"];
            secret: string;
            secretHint: string;
            /** @enum {string} */
            source: "github" | "jira";
            updatedAt: string;
            webhookUrl: string;
            workflowId: components["schemas"]["Uuid"];
        };
        TriggerCredentials: {
            token: string;
            /** @constant */
            type: "token";
        } | {
            appId: string | number;
            installationId?: number;
            privateKey: string;
            /** @constant */
            type: "app";
        } | {
            apiToken: string;
            /** Format: email */
            email: string;
            /** @constant */
            type: "basic";
        };
        TriggerCredentials2: {
            hint: string;
            type: components["schemas"]["CredentialsType"];
        };
        TriggerPatchBody: {
            /** Format: uri */
            apiBaseUrl?: string;
            credentials?: components["schemas"]["TriggerCredentials"] | null;
            enabled?: boolean;
            inputMapping?: components["schemas"]["InputMapping"];
            name?: string;
            rules?: components["schemas"]["TriggerRules"];
            workflowId?: components["schemas"]["IdOrSlug"];
        };
        TriggerRules: {
            branches?: string[];
            draft?: boolean;
            events: string[];
            fields?: {
                [key: string]: string | string[];
            };
            issueTypes?: string[];
            labels?: string[];
            projects?: string[];
            repositories?: string[];
        };
        /** @enum {string} */
        Type: "agent" | "tool" | "approval" | "router" | "workflow" | "map";
        UploadDocumentBody: {
            contentType: string;
            filename: string;
            metadata?: {
                [key: string]: components["schemas"]["Metadata"];
            };
            title?: string;
        };
        UsageReport: {
            from: string;
            groupBy: string[];
            items: components["schemas"]["UsageRow"][];
            to: string;
            total: components["schemas"]["UsageRow"];
        };
        UsageRow: {
            attempts: number;
            cachedInputTokens: number;
            costUsd: number;
            day?: string;
            failedAttempts: number;
            inputTokens: number;
            model?: string;
            nodeId?: string;
            outputTokens: number;
            provider?: string;
            runId?: string;
            skippedAttempts: number;
            stepId?: string;
            unpricedAttempts: number;
            workflowId?: string;
            workflowSlug?: string;
        };
        /** Format: uuid */
        Uuid: string;
        Version: number | null;
        WaitingApproval: {
            gates: components["schemas"]["GatedOutput"][];
            iteration: number;
            message?: string;
            nodeId: string;
            runId: components["schemas"]["Uuid"];
            runStartedAt: string;
            stepId: components["schemas"]["Uuid"];
            waitingSince: string;
            workflowId: components["schemas"]["Uuid"];
            workflowSlug: string;
            workflowVersion: number;
        };
        WebhookAck: {
            deliveryId: string | null;
            /** @enum {string} */
            outcome: "started" | "ignored" | "duplicate" | "answered" | "refused";
            reason?: string;
            runId?: components["schemas"]["Uuid"];
        };
        /** @enum {string} */
        When: "success" | "failure" | "always";
        Workflow: {
            createdAt: string;
            /** @default  */
            description: string;
            /** @default [] */
            edges: components["schemas"]["WorkflowEdge"][];
            id: components["schemas"]["Uuid"];
            /** @default [] */
            inputs: components["schemas"]["WorkflowInputField"][];
            name: string;
            nodes: components["schemas"]["WorkflowNode"][];
            publishedVersion: number;
            slug: string;
            updatedAt: string;
            version: number;
        };
        WorkflowCreateBody: {
            /** @default  */
            description?: string;
            /** @default [] */
            edges?: components["schemas"]["WorkflowEdgeInput"][];
            /** @default [] */
            inputs?: components["schemas"]["WorkflowInputFieldInput"][];
            name: string;
            nodes: components["schemas"]["WorkflowNodeInput"][];
            slug: components["schemas"]["Slug"];
        };
        WorkflowEdge: {
            from: components["schemas"]["NodeId"];
            if?: components["schemas"]["Condition"];
            maxIterations?: number;
            to: components["schemas"]["NodeId"];
            when?: components["schemas"]["When"];
        };
        WorkflowEdgeInput: {
            from: components["schemas"]["NodeId"];
            if?: components["schemas"]["Condition"];
            maxIterations?: number;
            to: components["schemas"]["NodeId"];
            when?: components["schemas"]["When"];
        };
        WorkflowFile: {
            agents?: components["schemas"]["AgentCreateBodyInput"][];
            /** @default  */
            description: string;
            /** @default [] */
            edges: components["schemas"]["WorkflowEdge"][];
            /** @default [] */
            inputs: components["schemas"]["WorkflowInputField"][];
            name: string;
            nodes: components["schemas"]["WorkflowNode"][];
            slug: components["schemas"]["Slug"];
        };
        WorkflowFileInput: {
            agents?: components["schemas"]["AgentCreateBodyInput"][];
            /** @default  */
            description?: string;
            /** @default [] */
            edges?: components["schemas"]["WorkflowEdgeInput"][];
            /** @default [] */
            inputs?: components["schemas"]["WorkflowInputFieldInput"][];
            name: string;
            nodes: components["schemas"]["WorkflowNodeInput"][];
            slug: components["schemas"]["Slug"];
        };
        WorkflowInputField: {
            description?: string;
            multiline?: boolean;
            name: string;
            required?: boolean;
        };
        WorkflowInputFieldInput: {
            description?: string;
            multiline?: boolean;
            name: string;
            required?: boolean;
        };
        WorkflowNode: {
            agent?: components["schemas"]["Slug"];
            agentVersion?: number;
            as?: string;
            id: components["schemas"]["NodeId"];
            input?: {
                [key: string]: unknown;
            };
            items?: string;
            maxAttempts?: number;
            maxConcurrency?: number;
            prompt?: string;
            routes?: string[];
            tool?: string;
            type: components["schemas"]["Type"];
            version?: number;
            with?: {
                [key: string]: unknown;
            };
            workflow?: components["schemas"]["Slug"];
        };
        WorkflowNodeInput: {
            agent?: components["schemas"]["Slug"];
            agentVersion?: number;
            as?: string;
            id: components["schemas"]["NodeId"];
            input?: {
                [key: string]: unknown;
            };
            items?: string;
            maxAttempts?: number;
            maxConcurrency?: number;
            prompt?: string;
            routes?: string[];
            tool?: string;
            type: components["schemas"]["Type"];
            version?: number;
            with?: {
                [key: string]: unknown;
            };
            workflow?: components["schemas"]["Slug"];
        };
        WorkflowPatchBody: {
            description?: string | null;
            edges?: components["schemas"]["WorkflowEdgeInput"][] | null;
            inputs?: components["schemas"]["WorkflowInputFieldInput"][] | null;
            name?: string;
            nodes?: components["schemas"]["WorkflowNodeInput"][];
        };
        WorkflowPublishBody: components["schemas"]["AgentPublishBody"];
        WorkflowSpec: {
            /** @default  */
            description: string;
            /** @default [] */
            edges: components["schemas"]["WorkflowEdge"][];
            /** @default [] */
            inputs: components["schemas"]["WorkflowInputField"][];
            name: string;
            nodes: components["schemas"]["WorkflowNode"][];
        };
        WorkflowVersion: {
            createdAt: string;
            spec: components["schemas"]["WorkflowSpec"];
            version: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    callMcp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            database: {
                                error?: string;
                                latencyMs: number;
                                /** @enum {string} */
                                status: "ok" | "failed";
                            };
                        };
                        /** @enum {string} */
                        status: "ready" | "unavailable";
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Agent"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentPatchBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportAgent: {
        parameters: {
            query?: {
                format?: "json" | "yaml";
            };
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentCreateBodyInput"];
                    "application/yaml": components["schemas"]["AgentCreateBodyInput"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    publishAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentPublishBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tryAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentTryBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listAgentVersions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AgentVersion"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    importAgent: {
        parameters: {
            query?: {
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentCreateBodyInput"];
                "application/yaml": components["schemas"]["AgentCreateBodyInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                    "application/yaml": components["schemas"]["ImportReport"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listWaitingApprovals: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "waiting";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WaitingApproval"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                action?: string;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntry"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    verifyAuditLog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LogoutBody"];
            };
        };
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAuthMfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaVerifyBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MfaSignInResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAuthMfaEnrol: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaEnrolDuringSignInBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MfaEnrolment"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refreshTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LogoutBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignupBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAuthSsoCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SsoCallbackBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAuthSsoStart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SsoStartBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SsoStart"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createAuthSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SwitchTenantBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listBatches: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                workflowId?: components["schemas"]["IdOrSlug"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ListBatches"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getBatch: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: components["schemas"]["Counts"];
                        createdAt: string;
                        error?: components["schemas"]["Error"];
                        finishedAt?: string;
                        id: components["schemas"]["Uuid"];
                        maxConcurrency: number;
                        runs: components["schemas"]["ListRuns"];
                        status: components["schemas"]["CreateWorkflowBatchStatus"];
                        workflowId: components["schemas"]["Uuid"];
                        workflowSlug: string;
                        workflowVersion: number;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancelBatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListBatches"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getBudgets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budgets"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setBudgets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BudgetsBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budgets"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listInvitations: {
        parameters: {
            query?: {
                status?: components["schemas"]["InvitationStatus"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Invitation"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createInvitationAccept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationAcceptBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createInvitationLookup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationLookupBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationPreview"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listKnowledgeBases: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["KnowledgeBase"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createKnowledgeBase: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KnowledgeBaseCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KnowledgeBase"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getKnowledgeBase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KnowledgeBase"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteKnowledgeBase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listKnowledgeBaseDocuments: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Document"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createKnowledgeBaseDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DocumentCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentCreated"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getKnowledgeBaseDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                docId: components["schemas"]["Uuid"];
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteKnowledgeBaseDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                docId: components["schemas"]["Uuid"];
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    ingestKnowledgeBaseDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                docId: components["schemas"]["Uuid"];
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    searchKnowledgeBase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SearchBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResult"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMeMfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MfaStatus"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createMeMfaConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaConfirmBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MfaRecoveryCodes"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createMeMfaDisable: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaDisableBody"];
            };
        };
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createMeMfaEnrol: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MfaEnrolment"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Member"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createMember: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberPatchBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listPrices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Price"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setPrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model: string;
                provider: "openai" | "anthropic" | "gemini" | "compatible";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PriceBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Price"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listProviders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ProviderStatus"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setProviderKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: components["schemas"]["KeyedProvider"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderKeyBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderStatus"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteProviderKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: components["schemas"]["KeyedProvider"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query?: {
                batchId?: components["schemas"]["Uuid"];
                cursor?: string;
                limit?: number;
                scheduleId?: components["schemas"]["Uuid"];
                status?: components["schemas"]["Status"];
                workflowId?: components["schemas"]["IdOrSlug"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListRuns"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancelRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSummary"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listRunEvents: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunEvents"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    rerunRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RerunBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getRunStep: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
                stepId: components["schemas"]["StepId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStep"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    approveRunStep: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
                stepId: components["schemas"]["StepId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    rejectRunStep: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
                stepId: components["schemas"]["StepId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    streamRunEvents: {
        parameters: {
            query?: {
                after?: number;
            };
            header?: {
                /** @description Resume after this event (its seq); sent by EventSource on reconnect */
                "Last-Event-ID"?: string;
            };
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events: one `id: <seq>` / `event: <type>` / `data: <RunEvent JSON>` message per event, heartbeat comments, and a final `event: end` with the status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSchedules: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                workflowId?: components["schemas"]["IdOrSlug"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ListSchedules"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cron: string;
                    /** @default true */
                    enabled?: boolean;
                    /** @default {} */
                    input?: {
                        [key: string]: unknown;
                    };
                    timezone: string;
                    version?: components["schemas"]["CreateScheduleVersion"];
                    workflowId: components["schemas"]["IdOrSlug"];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSchedules"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSchedules"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cron?: string;
                    enabled?: boolean;
                    input?: {
                        [key: string]: unknown;
                    };
                    timezone?: string;
                    version?: components["schemas"]["CreateScheduleVersion"];
                    workflowId?: components["schemas"]["IdOrSlug"];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSchedules"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSettingPii: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PiiPolicyView"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setSettingPii: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PiiPolicy"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PiiPolicyView"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSettingSecurity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecuritySettings"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateSettingSecurity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecuritySettingsPatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecuritySettings"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSettingSso: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SsoSettings"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setSettingSso: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SsoSettingsBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SsoSettings"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteSettingSso: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listTriggers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Trigger"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createTrigger: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TriggerCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TriggerCreated"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getTrigger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Trigger"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteTrigger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateTrigger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TriggerPatchBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Trigger"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listTriggerDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                outcome?: components["schemas"]["DeliveryOutcome"];
            };
            header?: never;
            path: {
                id: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Delivery"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: {
                from?: components["schemas"]["From"];
                groupBy?: string;
                to?: components["schemas"]["From"];
                workflowId?: components["schemas"]["IdOrSlug"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    receiveGithubWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                triggerId: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    receiveJiraWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                triggerId: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listWorkflows: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Workflow"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowCreateBody"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowPatchBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    createWorkflowBatch: {
        parameters: {
            query?: {
                maxConcurrency?: number;
                version?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    inputs: {
                        [key: string]: unknown;
                    }[];
                    maxConcurrency?: number;
                    version?: number;
                };
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batchId: components["schemas"]["Uuid"];
                        status: components["schemas"]["CreateWorkflowBatchStatus"];
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    exportWorkflow: {
        parameters: {
            query?: {
                format?: "json" | "yaml";
                include?: "agents";
            };
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowFile"];
                    "application/yaml": components["schemas"]["WorkflowFile"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    publishWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowPublishBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    startRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunStartBody"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listWorkflowVersions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: components["schemas"]["IdOrSlug"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WorkflowVersion"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    importWorkflow: {
        parameters: {
            query?: {
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowFileInput"];
                "application/yaml": components["schemas"]["WorkflowFileInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                    "application/yaml": components["schemas"]["ImportReport"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
