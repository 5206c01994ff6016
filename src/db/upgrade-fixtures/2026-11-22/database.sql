--
-- PostgreSQL database dump
--

\restrict YEn6ULATwIWapt2k2jeYRLD7tQzKehyNatSACUGMl7u6vDmT8jMmncFS3eHh3NB

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit_log_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    begin
      raise exception 'audit_log is append-only';
    end $$;


--
-- Name: csv_field(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.csv_field(t text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
      select case when t is null then '' when t ~ '[",
]' then '"' || replace(t, '"', '""') || '"' else t end
    $$;


--
-- Name: format_units(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.format_units(u bigint) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
      select case when u % 10000 = 0 then (u / 10000)::text
                  else (u / 10000)::text || '.' || rtrim(lpad((u % 10000)::text, 4, '0'), '0') end
    $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id text NOT NULL,
    partner_id text NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    token_prefix text NOT NULL,
    scopes jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: app_secrets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.app_secrets (
    name text NOT NULL,
    value text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    partner_id text,
    actor text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text,
    before jsonb,
    after jsonb,
    context jsonb
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: billing_report_chunks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.billing_report_chunks (
    report_id text NOT NULL,
    seq integer NOT NULL,
    lines integer NOT NULL,
    body text NOT NULL
);
ALTER TABLE ONLY public.billing_report_chunks ALTER COLUMN body SET STORAGE EXTERNAL;


--
-- Name: billing_reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.billing_reports (
    id text NOT NULL,
    partner_id text NOT NULL,
    requested_by_partner_id text NOT NULL,
    sub_partner_org_id text,
    type text NOT NULL,
    category text NOT NULL,
    billing_start_date date NOT NULL,
    billing_end_date date NOT NULL,
    status text NOT NULL,
    errors jsonb DEFAULT '[]'::jsonb NOT NULL,
    row_count integer,
    created_by text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT billing_reports_category_check CHECK ((category = ANY (ARRAY['RECONCILIATION'::text, 'POINT_IN_TIME'::text]))),
    CONSTRAINT billing_reports_status_check CHECK ((status = ANY (ARRAY['IN_PROGRESS'::text, 'COMPLETED'::text, 'FAILED'::text]))),
    CONSTRAINT billing_reports_type_check CHECK ((type = ANY (ARRAY['PARTNER'::text, 'CUSTOMER'::text, 'USER'::text])))
);


--
-- Name: bot_proposals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bot_proposals (
    id text NOT NULL,
    partner_id text NOT NULL,
    space_id text NOT NULL,
    actor text NOT NULL,
    command text NOT NULL,
    args jsonb NOT NULL,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT bot_proposals_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'confirmed'::text, 'cancelled'::text, 'replaced'::text])))
);


--
-- Name: bot_spaces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bot_spaces (
    space_id text NOT NULL,
    partner_id text NOT NULL,
    transport text NOT NULL,
    title text,
    bound_by text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT bot_spaces_transport_check CHECK ((transport = ANY (ARRAY['webex'::text, 'console'::text])))
);


--
-- Name: compliance_reviews; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.compliance_reviews (
    id text NOT NULL,
    customer_id text NOT NULL,
    partner_id text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    matches jsonb NOT NULL,
    list_version_id integer NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    deadline_at timestamp with time zone NOT NULL,
    unanswered_contacts integer DEFAULT 0 NOT NULL,
    contacts jsonb DEFAULT '[]'::jsonb NOT NULL,
    decided_at timestamp with time zone,
    decided_by text,
    reason text,
    CONSTRAINT compliance_reviews_kind_check CHECK ((kind = ANY (ARRAY['onboarding'::text, 'address_change'::text, 'list_reload'::text]))),
    CONSTRAINT compliance_reviews_status_check CHECK ((status = ANY (ARRAY['open'::text, 'approved'::text, 'rejected'::text, 'expired'::text, 'deprovisioned'::text])))
);


--
-- Name: console_inbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.console_inbox (
    id bigint NOT NULL,
    partner_id text NOT NULL,
    space_id text NOT NULL,
    message jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: console_inbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.console_inbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: console_inbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.console_inbox_id_seq OWNED BY public.console_inbox.id;


--
-- Name: customers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customers (
    id text NOT NULL,
    partner_id text NOT NULL,
    external_id text NOT NULL,
    org_id text,
    attached_org boolean NOT NULL,
    provisioning_id text NOT NULL,
    name text,
    primary_email text,
    locale text NOT NULL,
    meetings_locale text NOT NULL,
    org_country text NOT NULL,
    call_in_number text,
    address jsonb NOT NULL,
    packages jsonb NOT NULL,
    package_limits jsonb DEFAULT '{}'::jsonb NOT NULL,
    provisioning_parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
    sub_partner_admin_email text,
    billing_start_date date,
    status text NOT NULL,
    errors jsonb DEFAULT '[]'::jsonb NOT NULL,
    warnings jsonb DEFAULT '[]'::jsonb NOT NULL,
    request_fingerprint text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    status_changed_at timestamp with time zone NOT NULL,
    non_compliant_since timestamp with time zone
);


--
-- Name: digest_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.digest_subscriptions (
    space_id text NOT NULL,
    partner_id text NOT NULL,
    local_time text NOT NULL,
    time_zone text NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT digest_subscriptions_local_time_check CHECK ((local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'::text))
);


--
-- Name: inbound_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbound_events (
    seq bigint NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    data jsonb NOT NULL,
    ordering_key text NOT NULL,
    partner_id text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    run_after timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    last_error text,
    result jsonb,
    received_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT inbound_events_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'done'::text, 'failed'::text])))
);


--
-- Name: inbound_events_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.inbound_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: inbound_events_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.inbound_events_seq_seq OWNED BY public.inbound_events.seq;


--
-- Name: job_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job_runs (
    job text NOT NULL,
    period text NOT NULL,
    status text NOT NULL,
    claimed_by text NOT NULL,
    claimed_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    attempts integer DEFAULT 1 NOT NULL,
    error text,
    CONSTRAINT job_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text])))
);


--
-- Name: kysely_migration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kysely_migration (
    name character varying(255) NOT NULL,
    "timestamp" character varying(255) NOT NULL
);


--
-- Name: kysely_migration_lock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kysely_migration_lock (
    id character varying(255) NOT NULL,
    is_locked integer DEFAULT 0 NOT NULL
);


--
-- Name: locations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.locations (
    id text NOT NULL,
    customer_id text NOT NULL,
    name text NOT NULL,
    address jsonb NOT NULL,
    timezone text NOT NULL,
    language text NOT NULL,
    emergency_location_identifier text,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: onboarding_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.onboarding_templates (
    id text NOT NULL,
    partner_id text NOT NULL,
    name text NOT NULL,
    country text NOT NULL,
    language text NOT NULL,
    auth_mode text NOT NULL,
    idp_entity_id text,
    brand_name text NOT NULL,
    pstn_provider text,
    allow_admin_invite_emails boolean DEFAULT false NOT NULL,
    disable_webex_calling_1to1 boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT onboarding_templates_auth_mode_check CHECK ((auth_mode = ANY (ARRAY['webex'::text, 'partner_saml'::text, 'partner_oidc'::text])))
);


--
-- Name: package_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.package_events (
    id bigint NOT NULL,
    subscriber_id text NOT NULL,
    customer_id text NOT NULL,
    partner_id text NOT NULL,
    package text,
    effective_at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    cause text NOT NULL
);


--
-- Name: package_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.package_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: package_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.package_events_id_seq OWNED BY public.package_events.id;


--
-- Name: partners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partners (
    id text NOT NULL,
    org_id text NOT NULL,
    name text NOT NULL,
    parent_id text,
    provisioning_state text DEFAULT 'active'::text NOT NULL,
    subscription_id text,
    billing_start_date date,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT partners_provisioning_state_check CHECK ((provisioning_state = ANY (ARRAY['active'::text, 'suspended'::text])))
);


--
-- Name: price_book; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.price_book (
    partner_id text NOT NULL,
    effective_from date NOT NULL,
    package text NOT NULL,
    currency text NOT NULL,
    monthly_price_minor bigint NOT NULL,
    sku text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT price_book_monthly_price_minor_check CHECK ((monthly_price_minor >= 0))
);


--
-- Name: provisioning_tasks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provisioning_tasks (
    id bigint NOT NULL,
    kind text NOT NULL,
    entity_id text NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    run_after timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT provisioning_tasks_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'done'::text, 'failed'::text])))
);


--
-- Name: provisioning_tasks_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.provisioning_tasks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: provisioning_tasks_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.provisioning_tasks_id_seq OWNED BY public.provisioning_tasks.id;


--
-- Name: screening_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.screening_entries (
    version_id integer NOT NULL,
    entry_id text NOT NULL,
    source text NOT NULL,
    name text NOT NULL,
    alt_names jsonb NOT NULL,
    addresses text NOT NULL,
    country text
);


--
-- Name: screening_list_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.screening_list_versions (
    id integer NOT NULL,
    loaded_at timestamp with time zone NOT NULL,
    loaded_by text NOT NULL,
    entry_count integer NOT NULL,
    active boolean DEFAULT false NOT NULL
);


--
-- Name: screening_list_versions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.screening_list_versions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: screening_list_versions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.screening_list_versions_id_seq OWNED BY public.screening_list_versions.id;


--
-- Name: staff; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff (
    id text NOT NULL,
    partner_id text NOT NULL,
    email text NOT NULL,
    display_name text,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT staff_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'operator'::text, 'viewer'::text])))
);


--
-- Name: subscribers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscribers (
    id text NOT NULL,
    partner_id text NOT NULL,
    customer_id text NOT NULL,
    email text NOT NULL,
    first_name text,
    last_name text,
    package text NOT NULL,
    primary_phone_number text,
    extension text,
    location_id text,
    is_admin boolean NOT NULL,
    person_id text,
    status text NOT NULL,
    errors jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_status_change timestamp with time zone NOT NULL
);


--
-- Name: telephony_call_in_numbers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.telephony_call_in_numbers (
    country text NOT NULL,
    "position" integer NOT NULL,
    number text NOT NULL
);


--
-- Name: webex_inbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webex_inbox (
    key text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    handovers integer DEFAULT 0 NOT NULL,
    done_at timestamp with time zone,
    CONSTRAINT webex_inbox_status_check CHECK ((status = ANY (ARRAY['received'::text, 'done'::text])))
);


--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id bigint NOT NULL,
    event_id text NOT NULL,
    subscription_id text NOT NULL,
    event_type text NOT NULL,
    payload text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    last_status integer,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'dead'::text])))
);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_deliveries_id_seq OWNED BY public.webhook_deliveries.id;


--
-- Name: webhook_delivery_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_delivery_attempts (
    id bigint NOT NULL,
    delivery_id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    status_code integer,
    error text,
    duration_ms integer NOT NULL
);


--
-- Name: webhook_delivery_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_delivery_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_delivery_attempts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_delivery_attempts_id_seq OWNED BY public.webhook_delivery_attempts.id;


--
-- Name: webhook_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_subscriptions (
    id text NOT NULL,
    partner_id text NOT NULL,
    url text NOT NULL,
    secret text NOT NULL,
    event_types jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    deleted_at timestamp with time zone
);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: console_inbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.console_inbox ALTER COLUMN id SET DEFAULT nextval('public.console_inbox_id_seq'::regclass);


--
-- Name: inbound_events seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_events ALTER COLUMN seq SET DEFAULT nextval('public.inbound_events_seq_seq'::regclass);


--
-- Name: package_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.package_events ALTER COLUMN id SET DEFAULT nextval('public.package_events_id_seq'::regclass);


--
-- Name: provisioning_tasks id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provisioning_tasks ALTER COLUMN id SET DEFAULT nextval('public.provisioning_tasks_id_seq'::regclass);


--
-- Name: screening_list_versions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_list_versions ALTER COLUMN id SET DEFAULT nextval('public.screening_list_versions_id_seq'::regclass);


--
-- Name: webhook_deliveries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries ALTER COLUMN id SET DEFAULT nextval('public.webhook_deliveries_id_seq'::regclass);


--
-- Name: webhook_delivery_attempts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery_attempts ALTER COLUMN id SET DEFAULT nextval('public.webhook_delivery_attempts_id_seq'::regclass);


--
-- Data for Name: api_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_tokens (id, partner_id, name, token_hash, token_prefix, scopes, created_at, revoked_at) FROM stdin;
1f1935e0-9cd6-4951-979f-87a6c0d4ea65	15c01444-4050-488e-97d2-cadcc7702c5c	ADMIN_API_TOKEN	740184c11df74bcd04f3e490aced0d547236da4e60416e09f9233a1970729193	upgrade-fi	["spark-admin:wholesale_customers_read", "spark-admin:wholesale_customers_write", "spark-admin:wholesale_subscribers_read", "spark-admin:wholesale_subscribers_write", "spark-admin:wholesale_billing_reports_read", "spark-admin:wholesale_billing_reports_write", "wholesale-desk:admin", "wholesale-desk:compliance_read", "wholesale-desk:compliance_decide"]	2026-12-06 16:36:01.292455+00	\N
\.


--
-- Data for Name: app_secrets; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.app_secrets (name, value, created_at) FROM stdin;
download_url	vuAdt88myIOZJQR4Klwffas8zLla5JzGPQusO4HDfK8	2026-12-06 16:36:01.295881+00
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_log (id, at, partner_id, actor, action, entity_type, entity_id, before, after, context) FROM stdin;
1	2026-12-06 16:36:01.271+00	15c01444-4050-488e-97d2-cadcc7702c5c	system	partner.seeded	partner	15c01444-4050-488e-97d2-cadcc7702c5c	\N	{"name": "Upgrade Fixture Partner"}	\N
2	2026-12-06 16:36:01.485+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	customer.create	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	\N	{"name": "Acme Dental", "orgId": null, "limits": {}, "locale": "en_US", "status": "provisioning", "address": {"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}, "packages": ["webex_calling", "webex_meetings", "attendant_console"], "externalId": "crm-1001", "primaryEmail": "it@crm-1001.example", "billingStartDate": null}	\N
3	2026-12-06 16:36:01.587+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:screening	screening.clear	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	\N	\N	{"matches": [], "trigger": "onboarding", "listVersion": null}
4	2026-12-06 16:36:01.587+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:worker	customer.provisioned	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	\N	{"orgId": "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg", "status": "provisioned"}	\N
5	2026-12-06 16:36:01.744+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	customer.create	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	\N	{"name": "Birch Law", "orgId": null, "limits": {}, "locale": "en_US", "status": "provisioning", "address": {"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}, "packages": ["webex_suite"], "externalId": "crm-1002", "primaryEmail": "it@crm-1002.example", "billingStartDate": null}	\N
6	2026-12-06 16:36:01.807+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:screening	screening.clear	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	\N	\N	{"matches": [], "trigger": "onboarding", "listVersion": null}
7	2026-12-06 16:36:01.807+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:worker	customer.provisioned	customer	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	\N	{"orgId": "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8wNTRhZmIzNS02MzcyLTRmOTktYTYxYS0xMDE2NGY3NjQ4ODM", "status": "provisioned"}	\N
8	2026-12-06 16:36:01.973+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzk0YjgxNzYyLTlmOTMtNGExYi1iZGQ2LTBmZWVjNGQyMmI5NQ	\N	{"email": "ann@crm-1001.example", "status": "provisioned", "isAdmin": true, "package": "webex_calling", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA"}	{"effectiveAt": "2026-11-01T00:00:00.000Z"}
9	2026-12-06 16:36:02.012+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg	\N	{"email": "bob@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "webex_meetings", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": null}	{"effectiveAt": "2026-11-10T00:00:00.000Z"}
10	2026-12-06 16:36:02.047+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzhkMjhkOTU2LWY2ZWMtNGIzOC1iMzM3LTRkNWFlN2I5MmEzOA	\N	{"email": "carl@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "attendant_console", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA"}	{"effectiveAt": "2026-11-05T12:00:00.000Z"}
11	2026-12-06 16:36:02.088+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ	\N	{"email": "dan@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "webex_calling", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA"}	{"effectiveAt": "2026-11-03T00:00:00.000Z"}
12	2026-12-06 16:36:02.114+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2NmNzUxYTI4LWQ2YjMtNDQ2Mi05MGM0LTkxZDUwZTE5MTBhNg	\N	{"email": "frank@crm-1002.example", "status": "provisioned", "isAdmin": true, "package": "webex_suite", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw"}	{"effectiveAt": "2026-11-01T00:00:00.000Z"}
13	2026-12-06 16:36:02.138+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.create	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzBmOWU4YzkzLTA2ZmMtNGM1Ni04NDgyLWNhNzZmZTFmODE4Mg	\N	{"email": "eve@crm-1002.example", "status": "provisioned", "isAdmin": false, "package": "webex_suite", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw"}	{"effectiveAt": "2026-11-01T08:00:00.000Z"}
14	2026-12-06 16:36:02.164+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.update	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg	{"email": "bob@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "webex_meetings", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": null}	{"email": "bob@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "webex_calling", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA"}	{"package": "webex_calling", "effectiveAt": "2026-11-20T00:00:00.000Z"}
15	2026-12-06 16:36:02.221+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	subscriber.delete	subscriber	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ	{"email": "dan@crm-1001.example", "status": "provisioned", "isAdmin": false, "package": "webex_calling", "customerId": "Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE", "locationId": "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA"}	\N	{"effectiveAt": "2026-11-15T06:00:00.000Z"}
16	2026-12-06 16:36:02.253+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	price_book.put	price_book	2026-11-01	\N	{"items": [{"sku": "WHSL-WEBEX-CALLING", "package": "webex_calling", "monthlyPriceMinor": 1500}, {"sku": "WHSL-WEBEX-MEETINGS", "package": "webex_meetings", "monthlyPriceMinor": 900}, {"sku": "WHSL-WEBEX-SUITE", "package": "webex_suite", "monthlyPriceMinor": 2500}, {"sku": "AC-1", "package": "attendant_console", "monthlyPriceMinor": 700}], "currency": "EUR"}	\N
17	2026-12-06 16:36:02.322+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	billing_report.create	billing_report	4d30550f-09e6-47b5-b4f9-ed605d26654d	\N	{"type": "USER", "category": "RECONCILIATION", "partner_id": "15c01444-4050-488e-97d2-cadcc7702c5c", "billing_end_date": "2026-11-30", "billing_start_date": "2026-11-01"}	\N
18	2026-12-06 16:36:02.356+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:worker	billing_report.completed	billing_report	4d30550f-09e6-47b5-b4f9-ed605d26654d	\N	\N	{"rows": 7}
19	2026-12-06 16:36:02.512+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	billing_report.create	billing_report	558d1f17-8dea-46ee-b312-4c2585d0dc47	\N	{"type": "CUSTOMER", "category": "RECONCILIATION", "partner_id": "15c01444-4050-488e-97d2-cadcc7702c5c", "billing_end_date": "2026-11-30", "billing_start_date": "2026-11-01"}	\N
20	2026-12-06 16:36:02.54+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:worker	billing_report.completed	billing_report	558d1f17-8dea-46ee-b312-4c2585d0dc47	\N	\N	{"rows": 4}
21	2026-12-06 16:36:02.672+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	billing_report.create	billing_report	b098f444-bac4-4fe0-a3f8-a653dc7d153c	\N	{"type": "PARTNER", "category": "RECONCILIATION", "partner_id": "15c01444-4050-488e-97d2-cadcc7702c5c", "billing_end_date": "2026-11-30", "billing_start_date": "2026-11-01"}	\N
22	2026-12-06 16:36:02.691+00	15c01444-4050-488e-97d2-cadcc7702c5c	system:worker	billing_report.completed	billing_report	b098f444-bac4-4fe0-a3f8-a653dc7d153c	\N	\N	{"rows": 4}
23	2026-12-06 16:36:02.83+00	15c01444-4050-488e-97d2-cadcc7702c5c	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	webhook_subscription.create	webhook_subscription	decec19d-e883-45fa-b635-68e22f6b2f71	\N	{"url": "http://127.0.0.1:9/hooks/desk", "eventTypes": ["customer.status_changed", "subscriber.status_changed"]}	\N
\.


--
-- Data for Name: billing_report_chunks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.billing_report_chunks (report_id, seq, lines, body) FROM stdin;
4d30550f-09e6-47b5-b4f9-ed605d26654d	0	7	Upgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,ATTENDANT_CONSOLE,WHSL-ATTENDANT-CONSOLE,Attendant Console,2026-11-05,2026-11-30,25.5,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzhkMjhkOTU2LWY2ZWMtNGIzOC1iMzM3LTRkNWFlN2I5MmEzOA,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYTM1NWRkNC1iMjBlLTQ4MjQtOTQyNC1iMTBjMDE2YTBmY2Q,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_CALLING,WHSL-WEBEX-CALLING,Webex Calling,2026-11-20,2026-11-30,11,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mMjg5N2VmZi0yNmYyLTRkMjktYTAxNC1hYzg4M2Q2YjNiMTI,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_CALLING,WHSL-WEBEX-CALLING,Webex Calling,2026-11-03,2026-11-15,12.25,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYjU4NWEwYy05MTUzLTRkM2MtYmY3YS0zZTZjNDRmOTBlYjU,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_CALLING,WHSL-WEBEX-CALLING,Webex Calling,2026-11-01,2026-11-30,30,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzk0YjgxNzYyLTlmOTMtNGExYi1iZGQ2LTBmZWVjNGQyMmI5NQ,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9iNjU2M2IxYi1lNWM0LTRlMDctYmQ5My1lODhmNTg4OWEzZWU,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_MEETINGS,WHSL-WEBEX-MEETINGS,Webex Meetings,2026-11-10,2026-11-19,10,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mMjg5N2VmZi0yNmYyLTRkMjktYTAxNC1hYzg4M2Q2YjNiMTI,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_SUITE,WHSL-WEBEX-SUITE,Webex Suite,2026-11-01,2026-11-30,30,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8wNTRhZmIzNS02MzcyLTRmOTktYTYxYS0xMDE2NGY3NjQ4ODM,crm-1002,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2NmNzUxYTI4LWQ2YjMtNDQ2Mi05MGM0LTkxZDUwZTE5MTBhNg,Y2lzY29zcGFyazovL3VzL1BFT1BMRS82ZGQ2MDUzOS01Y2FkLTQ1NDktODU2Mi01ODFlMmQzNDljYjI,\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_SUITE,WHSL-WEBEX-SUITE,Webex Suite,2026-11-01,2026-11-30,29.6667,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8wNTRhZmIzNS02MzcyLTRmOTktYTYxYS0xMDE2NGY3NjQ4ODM,crm-1002,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw,Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzBmOWU4YzkzLTA2ZmMtNGM1Ni04NDgyLWNhNzZmZTFmODE4Mg,Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYjU5ZWIyMC1mMGI5LTRmMWYtYjcyNy02MWYyOGRmMWZjNWE,\r\n
558d1f17-8dea-46ee-b312-4c2585d0dc47	0	4	Upgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,ATTENDANT_CONSOLE,WHSL-ATTENDANT-CONSOLE,Attendant Console,2026-11-05,2026-11-30,25.5,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_CALLING,WHSL-WEBEX-CALLING,Webex Calling,2026-11-01,2026-11-30,53.25,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_MEETINGS,WHSL-WEBEX-MEETINGS,Webex Meetings,2026-11-10,2026-11-19,10,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg,crm-1001,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_SUITE,WHSL-WEBEX-SUITE,Webex Suite,2026-11-01,2026-11-30,59.6667,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8wNTRhZmIzNS02MzcyLTRmOTktYTYxYS0xMDE2NGY3NjQ4ODM,crm-1002,Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw\r\n
b098f444-bac4-4fe0-a3f8-a653dc7d153c	0	4	Upgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,ATTENDANT_CONSOLE,WHSL-ATTENDANT-CONSOLE,Attendant Console,2026-11-05,2026-11-30,25.5\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_CALLING,WHSL-WEBEX-CALLING,Webex Calling,2026-11-01,2026-11-30,53.25\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_MEETINGS,WHSL-WEBEX-MEETINGS,Webex Meetings,2026-11-10,2026-11-19,10\r\nUpgrade Fixture Partner,Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM,Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I,WEBEX_SUITE,WHSL-WEBEX-SUITE,Webex Suite,2026-11-01,2026-11-30,59.6667\r\n
\.


--
-- Data for Name: billing_reports; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.billing_reports (id, partner_id, requested_by_partner_id, sub_partner_org_id, type, category, billing_start_date, billing_end_date, status, errors, row_count, created_by, created_at, completed_at) FROM stdin;
4d30550f-09e6-47b5-b4f9-ed605d26654d	15c01444-4050-488e-97d2-cadcc7702c5c	15c01444-4050-488e-97d2-cadcc7702c5c	\N	USER	RECONCILIATION	2026-11-01	2026-11-30	COMPLETED	[]	7	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	2026-12-06 16:36:02.322+00	2026-12-06 16:36:02.356+00
558d1f17-8dea-46ee-b312-4c2585d0dc47	15c01444-4050-488e-97d2-cadcc7702c5c	15c01444-4050-488e-97d2-cadcc7702c5c	\N	CUSTOMER	RECONCILIATION	2026-11-01	2026-11-30	COMPLETED	[]	4	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	2026-12-06 16:36:02.512+00	2026-12-06 16:36:02.54+00
b098f444-bac4-4fe0-a3f8-a653dc7d153c	15c01444-4050-488e-97d2-cadcc7702c5c	15c01444-4050-488e-97d2-cadcc7702c5c	\N	PARTNER	RECONCILIATION	2026-11-01	2026-11-30	COMPLETED	[]	4	token:1f1935e0-9cd6-4951-979f-87a6c0d4ea65	2026-12-06 16:36:02.672+00	2026-12-06 16:36:02.691+00
\.


--
-- Data for Name: bot_proposals; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.bot_proposals (id, partner_id, space_id, actor, command, args, status, created_at, expires_at) FROM stdin;
\.


--
-- Data for Name: bot_spaces; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.bot_spaces (space_id, partner_id, transport, title, bound_by, created_at) FROM stdin;
\.


--
-- Data for Name: compliance_reviews; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.compliance_reviews (id, customer_id, partner_id, kind, status, matches, list_version_id, opened_at, deadline_at, unanswered_contacts, contacts, decided_at, decided_by, reason) FROM stdin;
\.


--
-- Data for Name: console_inbox; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.console_inbox (id, partner_id, space_id, message, created_at) FROM stdin;
\.


--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale, org_country, call_in_number, address, packages, package_limits, provisioning_parameters, sub_partner_admin_email, billing_start_date, status, errors, warnings, request_fingerprint, created_at, updated_at, status_changed_at, non_compliant_since) FROM stdin;
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	crm-1001	Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mNTFjNjQ1OC02M2M0LTRmNGEtYTMxMS1kZDU0ZmUzMmFiMDg	f	77486681-67f9-46c8-a331-74378c33dc24	Acme Dental	it@crm-1001.example	en_US	en_US	US	+1	{"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}	["webex_calling", "webex_meetings", "attendant_console"]	{}	{}	\N	\N	provisioned	[]	[]	{"address":{"addressLine1":"1 Main St","city":"Austin","country":"US","stateOrProvince":"TX","zipOrPostalCode":"78701"},"customerInfo":{"name":"Acme Dental","primaryEmail":"it@crm-1001.example"},"externalId":"crm-1001","packages":["webex_calling","webex_meetings","attendant_console"],"provisioningId":"77486681-67f9-46c8-a331-74378c33dc24","provisioningParameters":{"calling":{"location":{"address":{"addressLine1":"1 Main St","city":"Austin","country":"US","stateOrProvince":"TX","zipOrPostalCode":"78701"},"name":"HQ","timezone":"America/Chicago"}}}}	2026-11-01 00:00:00+00	2026-12-06 16:36:01.587+00	2026-12-06 16:36:01.587+00	\N
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	15c01444-4050-488e-97d2-cadcc7702c5c	crm-1002	Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8wNTRhZmIzNS02MzcyLTRmOTktYTYxYS0xMDE2NGY3NjQ4ODM	f	77486681-67f9-46c8-a331-74378c33dc24	Birch Law	it@crm-1002.example	en_US	en_US	US	+1	{"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}	["webex_suite"]	{}	{}	\N	\N	provisioned	[]	[]	{"address":{"addressLine1":"1 Main St","city":"Austin","country":"US","stateOrProvince":"TX","zipOrPostalCode":"78701"},"customerInfo":{"name":"Birch Law","primaryEmail":"it@crm-1002.example"},"externalId":"crm-1002","packages":["webex_suite"],"provisioningId":"77486681-67f9-46c8-a331-74378c33dc24","provisioningParameters":{"calling":{"location":{"address":{"addressLine1":"1 Main St","city":"Austin","country":"US","stateOrProvince":"TX","zipOrPostalCode":"78701"},"name":"HQ","timezone":"America/Chicago"}}}}	2026-11-01 00:00:00+00	2026-12-06 16:36:01.807+00	2026-12-06 16:36:01.807+00	\N
\.


--
-- Data for Name: digest_subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.digest_subscriptions (space_id, partner_id, local_time, time_zone, created_by, created_at, updated_at) FROM stdin;
\.


--
-- Data for Name: inbound_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.inbound_events (seq, id, type, occurred_at, data, ordering_key, partner_id, status, attempts, run_after, locked_until, last_error, result, received_at, finished_at) FROM stdin;
\.


--
-- Data for Name: job_runs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.job_runs (job, period, status, claimed_by, claimed_at, finished_at, attempts, error) FROM stdin;
\.


--
-- Data for Name: kysely_migration; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kysely_migration (name, "timestamp") FROM stdin;
2026-11-21-0900-foundation	2026-12-06T16:36:00.829Z
2026-11-21-1000-provisioning	2026-12-06T16:36:00.933Z
2026-11-21-1100-billing	2026-12-06T16:36:01.013Z
2026-11-21-1200-webhooks	2026-12-06T16:36:01.115Z
2026-11-21-1300-compliance	2026-12-06T16:36:01.167Z
2026-11-21-1400-bot	2026-12-06T16:36:01.185Z
2026-11-22-0900-chat-and-digests	2026-12-06T16:36:01.264Z
\.


--
-- Data for Name: kysely_migration_lock; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kysely_migration_lock (id, is_locked) FROM stdin;
migration_lock	0
\.


--
-- Data for Name: locations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.locations (id, customer_id, name, address, timezone, language, emergency_location_identifier, created_at) FROM stdin;
Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	HQ	{"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}	America/Chicago	en_US	\N	2026-12-06 16:36:01.485+00
Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	HQ	{"city": "Austin", "country": "US", "addressLine1": "1 Main St", "stateOrProvince": "TX", "zipOrPostalCode": "78701"}	America/Chicago	en_US	\N	2026-12-06 16:36:01.744+00
\.


--
-- Data for Name: onboarding_templates; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.onboarding_templates (id, partner_id, name, country, language, auth_mode, idp_entity_id, brand_name, pstn_provider, allow_admin_invite_emails, disable_webex_calling_1to1, created_at) FROM stdin;
77486681-67f9-46c8-a331-74378c33dc24	15c01444-4050-488e-97d2-cadcc7702c5c	Default	US	en_US	webex	\N	Upgrade Fixture Partner	\N	f	f	2026-12-06 16:36:01.279496+00
\.


--
-- Data for Name: package_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.package_events (id, subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause) FROM stdin;
1	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzk0YjgxNzYyLTlmOTMtNGExYi1iZGQ2LTBmZWVjNGQyMmI5NQ	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	webex_calling	2026-11-01 00:00:00+00	2026-12-06 16:36:01.973+00	subscriber.create
2	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	webex_meetings	2026-11-10 00:00:00+00	2026-12-06 16:36:02.012+00	subscriber.create
3	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzhkMjhkOTU2LWY2ZWMtNGIzOC1iMzM3LTRkNWFlN2I5MmEzOA	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	attendant_console	2026-11-05 12:00:00+00	2026-12-06 16:36:02.047+00	subscriber.create
4	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	webex_calling	2026-11-03 00:00:00+00	2026-12-06 16:36:02.088+00	subscriber.create
5	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2NmNzUxYTI4LWQ2YjMtNDQ2Mi05MGM0LTkxZDUwZTE5MTBhNg	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	15c01444-4050-488e-97d2-cadcc7702c5c	webex_suite	2026-11-01 00:00:00+00	2026-12-06 16:36:02.114+00	subscriber.create
6	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzBmOWU4YzkzLTA2ZmMtNGM1Ni04NDgyLWNhNzZmZTFmODE4Mg	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	15c01444-4050-488e-97d2-cadcc7702c5c	webex_suite	2026-11-01 08:00:00+00	2026-12-06 16:36:02.138+00	subscriber.create
7	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	webex_calling	2026-11-20 00:00:00+00	2026-12-06 16:36:02.164+00	subscriber.update
8	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	15c01444-4050-488e-97d2-cadcc7702c5c	\N	2026-11-15 06:00:00+00	2026-12-06 16:36:02.221+00	subscriber.delete
\.


--
-- Data for Name: partners; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.partners (id, org_id, name, parent_id, provisioning_state, subscription_id, billing_start_date, settings, created_at) FROM stdin;
15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xNWMwMTQ0NC00MDUwLTQ4OGUtOTdkMi1jYWRjYzc3MDJjNWM	Upgrade Fixture Partner	\N	active	Y2lzY29zcGFyazovL3VzL1NVQlNDUklQVElPTi9hYWRhZTMxYi03ZjI1LTQ1NmMtOWI0YS1lMWI2NDk5YmNlM2I	\N	{}	2026-12-06 16:36:01.271+00
\.


--
-- Data for Name: price_book; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.price_book (partner_id, effective_from, package, currency, monthly_price_minor, sku, created_at) FROM stdin;
15c01444-4050-488e-97d2-cadcc7702c5c	2026-11-01	webex_calling	EUR	1500	WHSL-WEBEX-CALLING	2026-12-06 16:36:02.253+00
15c01444-4050-488e-97d2-cadcc7702c5c	2026-11-01	webex_meetings	EUR	900	WHSL-WEBEX-MEETINGS	2026-12-06 16:36:02.253+00
15c01444-4050-488e-97d2-cadcc7702c5c	2026-11-01	webex_suite	EUR	2500	WHSL-WEBEX-SUITE	2026-12-06 16:36:02.253+00
15c01444-4050-488e-97d2-cadcc7702c5c	2026-11-01	attendant_console	EUR	700	AC-1	2026-12-06 16:36:02.253+00
\.


--
-- Data for Name: provisioning_tasks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.provisioning_tasks (id, kind, entity_id, payload, status, attempts, run_after, locked_until, last_error, created_at, finished_at) FROM stdin;
1	customer.provision	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	{}	done	1	2026-12-06 16:36:01.485+00	\N	\N	2026-12-06 16:36:01.485+00	2026-12-06 16:36:01.587+00
2	customer.provision	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	{}	done	1	2026-12-06 16:36:01.744+00	\N	\N	2026-12-06 16:36:01.744+00	2026-12-06 16:36:01.807+00
3	billing_report.generate	4d30550f-09e6-47b5-b4f9-ed605d26654d	{}	done	1	2026-12-06 16:36:02.322+00	\N	\N	2026-12-06 16:36:02.322+00	2026-12-06 16:36:02.356+00
4	billing_report.generate	558d1f17-8dea-46ee-b312-4c2585d0dc47	{}	done	1	2026-12-06 16:36:02.512+00	\N	\N	2026-12-06 16:36:02.512+00	2026-12-06 16:36:02.54+00
5	billing_report.generate	b098f444-bac4-4fe0-a3f8-a653dc7d153c	{}	done	1	2026-12-06 16:36:02.672+00	\N	\N	2026-12-06 16:36:02.672+00	2026-12-06 16:36:02.691+00
\.


--
-- Data for Name: screening_entries; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.screening_entries (version_id, entry_id, source, name, alt_names, addresses, country) FROM stdin;
\.


--
-- Data for Name: screening_list_versions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.screening_list_versions (id, loaded_at, loaded_by, entry_count, active) FROM stdin;
\.


--
-- Data for Name: staff; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff (id, partner_id, email, display_name, role, created_at) FROM stdin;
\.


--
-- Data for Name: subscribers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.subscribers (id, partner_id, customer_id, email, first_name, last_name, package, primary_phone_number, extension, location_id, is_admin, person_id, status, errors, created_at, last_status_change) FROM stdin;
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzk0YjgxNzYyLTlmOTMtNGExYi1iZGQ2LTBmZWVjNGQyMmI5NQ	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	ann@crm-1001.example	Ann	Lee	webex_calling	\N	1001	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA	t	Y2lzY29zcGFyazovL3VzL1BFT1BMRS9iNjU2M2IxYi1lNWM0LTRlMDctYmQ5My1lODhmNTg4OWEzZWU	provisioned	[]	2026-12-06 16:36:01.973+00	2026-12-06 16:36:01.973+00
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzhkMjhkOTU2LWY2ZWMtNGIzOC1iMzM3LTRkNWFlN2I5MmEzOA	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	carl@crm-1001.example	Carl	Berg	attendant_console	\N	1003	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA	f	Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYTM1NWRkNC1iMjBlLTQ4MjQtOTQyNC1iMTBjMDE2YTBmY2Q	provisioned	[]	2026-12-06 16:36:02.047+00	2026-12-06 16:36:02.047+00
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2NmNzUxYTI4LWQ2YjMtNDQ2Mi05MGM0LTkxZDUwZTE5MTBhNg	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	frank@crm-1002.example	\N	\N	webex_suite	\N	2001	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw	t	Y2lzY29zcGFyazovL3VzL1BFT1BMRS82ZGQ2MDUzOS01Y2FkLTQ1NDktODU2Mi01ODFlMmQzNDljYjI	provisioned	[]	2026-12-06 16:36:02.114+00	2026-12-06 16:36:02.114+00
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSLzBmOWU4YzkzLTA2ZmMtNGM1Ni04NDgyLWNhNzZmZTFmODE4Mg	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8xNWRhZjA1ZC1mMzU2LTQ3MGYtYTNmMy0xODIzOWFkZjM1Yzc	eve@crm-1002.example	Eve	Park	webex_suite	\N	2002	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzZlY2JiYWZiLWQzMjItNGU0OS04ZWZkLTgzZjE1OTA5MDU4Yw	f	Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYjU5ZWIyMC1mMGI5LTRmMWYtYjcyNy02MWYyOGRmMWZjNWE	provisioned	[]	2026-12-06 16:36:02.138+00	2026-12-06 16:36:02.138+00
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2UxMjMwOTBmLWEyNzYtNDQ4NC04NjViLTY3NDRkMmIxODRiYg	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	bob@crm-1001.example	Bob	Stone	webex_calling	\N	1002	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA	f	Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mMjg5N2VmZi0yNmYyLTRkMjktYTAxNC1hYzg4M2Q2YjNiMTI	provisioned	[]	2026-12-06 16:36:02.012+00	2026-12-06 16:36:02.164+00
Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9TVUJTQ1JJQkVSL2ZmOGVhZmJhLWQ5YWMtNGIwNS1iYzkzLThiNzU2ZTg1ODE3NQ	15c01444-4050-488e-97d2-cadcc7702c5c	Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8zYWZkNDQwMy0yMDhkLTQ1MzItYjFiZC0xODVkMGRkMzM2YTE	dan@crm-1001.example	Dan	Ruiz	webex_calling	\N	1004	Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE5NjJiNjJkLWRiYzYtNGRiOS04NWE3LTJkN2FkYTEwMThmOA	f	Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYjU4NWEwYy05MTUzLTRkM2MtYmY3YS0zZTZjNDRmOTBlYjU	deleted	[]	2026-12-06 16:36:02.088+00	2026-12-06 16:36:02.221+00
\.


--
-- Data for Name: telephony_call_in_numbers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.telephony_call_in_numbers (country, "position", number) FROM stdin;
US	1	+1
SG	1	+65
AU	1	+61
GB	1	+44
DE	1	+49
\.


--
-- Data for Name: webex_inbox; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webex_inbox (key, payload, status, received_at, handovers, done_at) FROM stdin;
\.


--
-- Data for Name: webhook_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhook_deliveries (id, event_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, locked_until, last_status, last_error, created_at, delivered_at) FROM stdin;
\.


--
-- Data for Name: webhook_delivery_attempts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhook_delivery_attempts (id, delivery_id, at, status_code, error, duration_ms) FROM stdin;
\.


--
-- Data for Name: webhook_subscriptions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhook_subscriptions (id, partner_id, url, secret, event_types, created_at, deleted_at) FROM stdin;
decec19d-e883-45fa-b635-68e22f6b2f71	15c01444-4050-488e-97d2-cadcc7702c5c	http://127.0.0.1:9/hooks/desk	fixture-webhook-secret-0123	["customer.status_changed", "subscriber.status_changed"]	2026-12-06 16:36:02.83+00	\N
\.


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 23, true);


--
-- Name: console_inbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.console_inbox_id_seq', 1, false);


--
-- Name: inbound_events_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.inbound_events_seq_seq', 1, false);


--
-- Name: package_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.package_events_id_seq', 8, true);


--
-- Name: provisioning_tasks_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.provisioning_tasks_id_seq', 5, true);


--
-- Name: screening_list_versions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.screening_list_versions_id_seq', 1, false);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_deliveries_id_seq', 1, false);


--
-- Name: webhook_delivery_attempts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_delivery_attempts_id_seq', 1, false);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: app_secrets app_secrets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.app_secrets
    ADD CONSTRAINT app_secrets_pkey PRIMARY KEY (name);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: billing_report_chunks billing_report_chunks_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_report_chunks
    ADD CONSTRAINT billing_report_chunks_pk PRIMARY KEY (report_id, seq);


--
-- Name: billing_reports billing_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_reports
    ADD CONSTRAINT billing_reports_pkey PRIMARY KEY (id);


--
-- Name: bot_proposals bot_proposals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bot_proposals
    ADD CONSTRAINT bot_proposals_pkey PRIMARY KEY (id);


--
-- Name: bot_spaces bot_spaces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bot_spaces
    ADD CONSTRAINT bot_spaces_pkey PRIMARY KEY (space_id);


--
-- Name: compliance_reviews compliance_reviews_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.compliance_reviews
    ADD CONSTRAINT compliance_reviews_pkey PRIMARY KEY (id);


--
-- Name: console_inbox console_inbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.console_inbox
    ADD CONSTRAINT console_inbox_pkey PRIMARY KEY (id);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: digest_subscriptions digest_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.digest_subscriptions
    ADD CONSTRAINT digest_subscriptions_pkey PRIMARY KEY (space_id);


--
-- Name: inbound_events inbound_events_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_events
    ADD CONSTRAINT inbound_events_id_key UNIQUE (id);


--
-- Name: inbound_events inbound_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_events
    ADD CONSTRAINT inbound_events_pkey PRIMARY KEY (seq);


--
-- Name: job_runs job_runs_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_runs
    ADD CONSTRAINT job_runs_pk PRIMARY KEY (job, period);


--
-- Name: kysely_migration_lock kysely_migration_lock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kysely_migration_lock
    ADD CONSTRAINT kysely_migration_lock_pkey PRIMARY KEY (id);


--
-- Name: kysely_migration kysely_migration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kysely_migration
    ADD CONSTRAINT kysely_migration_pkey PRIMARY KEY (name);


--
-- Name: locations locations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.locations
    ADD CONSTRAINT locations_pkey PRIMARY KEY (id);


--
-- Name: onboarding_templates onboarding_templates_partner_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.onboarding_templates
    ADD CONSTRAINT onboarding_templates_partner_name UNIQUE (partner_id, name);


--
-- Name: onboarding_templates onboarding_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.onboarding_templates
    ADD CONSTRAINT onboarding_templates_pkey PRIMARY KEY (id);


--
-- Name: package_events package_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.package_events
    ADD CONSTRAINT package_events_pkey PRIMARY KEY (id);


--
-- Name: partners partners_org_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_org_id_key UNIQUE (org_id);


--
-- Name: partners partners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_pkey PRIMARY KEY (id);


--
-- Name: price_book price_book_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_book
    ADD CONSTRAINT price_book_pk PRIMARY KEY (partner_id, effective_from, package);


--
-- Name: provisioning_tasks provisioning_tasks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provisioning_tasks
    ADD CONSTRAINT provisioning_tasks_pkey PRIMARY KEY (id);


--
-- Name: screening_entries screening_entries_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_entries
    ADD CONSTRAINT screening_entries_pk PRIMARY KEY (version_id, entry_id);


--
-- Name: screening_list_versions screening_list_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_list_versions
    ADD CONSTRAINT screening_list_versions_pkey PRIMARY KEY (id);


--
-- Name: staff staff_partner_email; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff
    ADD CONSTRAINT staff_partner_email UNIQUE (partner_id, email);


--
-- Name: staff staff_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff
    ADD CONSTRAINT staff_pkey PRIMARY KEY (id);


--
-- Name: subscribers subscribers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribers
    ADD CONSTRAINT subscribers_pkey PRIMARY KEY (id);


--
-- Name: telephony_call_in_numbers telephony_call_in_numbers_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telephony_call_in_numbers
    ADD CONSTRAINT telephony_call_in_numbers_pk PRIMARY KEY (country, "position");


--
-- Name: webex_inbox webex_inbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webex_inbox
    ADD CONSTRAINT webex_inbox_pkey PRIMARY KEY (key);


--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);


--
-- Name: webhook_delivery_attempts webhook_delivery_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery_attempts
    ADD CONSTRAINT webhook_delivery_attempts_pkey PRIMARY KEY (id);


--
-- Name: webhook_subscriptions webhook_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (id);


--
-- Name: audit_log_entity; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_entity ON public.audit_log USING btree (entity_type, entity_id);


--
-- Name: billing_reports_one_completed; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX billing_reports_one_completed ON public.billing_reports USING btree (partner_id, type, category, billing_start_date, billing_end_date) WHERE (status = 'COMPLETED'::text);


--
-- Name: billing_reports_partner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX billing_reports_partner ON public.billing_reports USING btree (requested_by_partner_id, billing_start_date, id);


--
-- Name: bot_proposals_one_pending; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX bot_proposals_one_pending ON public.bot_proposals USING btree (space_id, actor) WHERE (status = 'pending'::text);


--
-- Name: compliance_reviews_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX compliance_reviews_due ON public.compliance_reviews USING btree (deadline_at) WHERE (status = 'open'::text);


--
-- Name: compliance_reviews_one_open; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX compliance_reviews_one_open ON public.compliance_reviews USING btree (customer_id) WHERE (status = 'open'::text);


--
-- Name: console_inbox_space; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX console_inbox_space ON public.console_inbox USING btree (space_id, id);


--
-- Name: customers_partner_external_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX customers_partner_external_id ON public.customers USING btree (partner_id, external_id) WHERE (status <> 'deleted'::text);


--
-- Name: customers_partner_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX customers_partner_status ON public.customers USING btree (partner_id, status, created_at);


--
-- Name: inbound_events_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_events_due ON public.inbound_events USING btree (occurred_at, seq) WHERE (status = 'pending'::text);


--
-- Name: inbound_events_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_events_key ON public.inbound_events USING btree (ordering_key, occurred_at, seq) WHERE (status = 'pending'::text);


--
-- Name: package_events_effective; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX package_events_effective ON public.package_events USING btree (effective_at);


--
-- Name: package_events_subscriber; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX package_events_subscriber ON public.package_events USING btree (subscriber_id, effective_at, id);


--
-- Name: partners_single_root; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX partners_single_root ON public.partners USING btree (((parent_id IS NULL))) WHERE (parent_id IS NULL);


--
-- Name: provisioning_tasks_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provisioning_tasks_due ON public.provisioning_tasks USING btree (run_after, id) WHERE (status = 'pending'::text);


--
-- Name: screening_list_one_active; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX screening_list_one_active ON public.screening_list_versions USING btree (active) WHERE active;


--
-- Name: subscribers_customer; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscribers_customer ON public.subscribers USING btree (customer_id, status, created_at);


--
-- Name: subscribers_live_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX subscribers_live_email ON public.subscribers USING btree (email) WHERE (status <> 'deleted'::text);


--
-- Name: webex_inbox_received; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webex_inbox_received ON public.webex_inbox USING btree (received_at) WHERE (status = 'received'::text);


--
-- Name: webhook_deliveries_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_due ON public.webhook_deliveries USING btree (next_attempt_at, id) WHERE (status = 'pending'::text);


--
-- Name: webhook_deliveries_subscription; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_subscription ON public.webhook_deliveries USING btree (subscription_id, status, id);


--
-- Name: webhook_delivery_attempts_delivery; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_delivery_attempts_delivery ON public.webhook_delivery_attempts USING btree (delivery_id);


--
-- Name: audit_log audit_log_no_update_or_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_append_only();


--
-- Name: api_tokens api_tokens_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: billing_report_chunks billing_report_chunks_report_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_report_chunks
    ADD CONSTRAINT billing_report_chunks_report_id_fkey FOREIGN KEY (report_id) REFERENCES public.billing_reports(id) ON DELETE CASCADE;


--
-- Name: billing_reports billing_reports_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_reports
    ADD CONSTRAINT billing_reports_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: billing_reports billing_reports_requested_by_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_reports
    ADD CONSTRAINT billing_reports_requested_by_partner_id_fkey FOREIGN KEY (requested_by_partner_id) REFERENCES public.partners(id);


--
-- Name: bot_proposals bot_proposals_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bot_proposals
    ADD CONSTRAINT bot_proposals_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: bot_spaces bot_spaces_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bot_spaces
    ADD CONSTRAINT bot_spaces_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: compliance_reviews compliance_reviews_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.compliance_reviews
    ADD CONSTRAINT compliance_reviews_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- Name: compliance_reviews compliance_reviews_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.compliance_reviews
    ADD CONSTRAINT compliance_reviews_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: console_inbox console_inbox_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.console_inbox
    ADD CONSTRAINT console_inbox_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: customers customers_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: customers customers_provisioning_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_provisioning_id_fkey FOREIGN KEY (provisioning_id) REFERENCES public.onboarding_templates(id);


--
-- Name: digest_subscriptions digest_subscriptions_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.digest_subscriptions
    ADD CONSTRAINT digest_subscriptions_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: digest_subscriptions digest_subscriptions_space_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.digest_subscriptions
    ADD CONSTRAINT digest_subscriptions_space_id_fkey FOREIGN KEY (space_id) REFERENCES public.bot_spaces(space_id);


--
-- Name: inbound_events inbound_events_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_events
    ADD CONSTRAINT inbound_events_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: locations locations_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.locations
    ADD CONSTRAINT locations_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- Name: onboarding_templates onboarding_templates_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.onboarding_templates
    ADD CONSTRAINT onboarding_templates_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: package_events package_events_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.package_events
    ADD CONSTRAINT package_events_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- Name: package_events package_events_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.package_events
    ADD CONSTRAINT package_events_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: package_events package_events_subscriber_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.package_events
    ADD CONSTRAINT package_events_subscriber_id_fkey FOREIGN KEY (subscriber_id) REFERENCES public.subscribers(id);


--
-- Name: partners partners_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.partners(id);


--
-- Name: price_book price_book_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_book
    ADD CONSTRAINT price_book_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: screening_entries screening_entries_version_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.screening_entries
    ADD CONSTRAINT screening_entries_version_id_fkey FOREIGN KEY (version_id) REFERENCES public.screening_list_versions(id) ON DELETE CASCADE;


--
-- Name: staff staff_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff
    ADD CONSTRAINT staff_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: subscribers subscribers_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribers
    ADD CONSTRAINT subscribers_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- Name: subscribers subscribers_location_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribers
    ADD CONSTRAINT subscribers_location_id_fkey FOREIGN KEY (location_id) REFERENCES public.locations(id);


--
-- Name: subscribers subscribers_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscribers
    ADD CONSTRAINT subscribers_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: webhook_deliveries webhook_deliveries_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.webhook_subscriptions(id);


--
-- Name: webhook_delivery_attempts webhook_delivery_attempts_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery_attempts
    ADD CONSTRAINT webhook_delivery_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES public.webhook_deliveries(id);


--
-- Name: webhook_subscriptions webhook_subscriptions_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- PostgreSQL database dump complete
--

\unrestrict YEn6ULATwIWapt2k2jeYRLD7tQzKehyNatSACUGMl7u6vDmT8jMmncFS3eHh3NB

