// VoiceAnalytics as a wiring diagram: infrastructure first, then the services, which start in parallel: each
// waits only for the database and migrates its own schema (no key crosses schemas). Resource names double as
// service-discovery names (services__<name>__<endpoint>__0) and connection-string keys.
using VoiceAnalytics.AppHost;
using VoiceAnalytics.AppHost.Health;
using VoiceAnalytics.AppHost.Launch;

// AppHost__ResourceLogs=console copies every resource's console output into the AppHost's (bench/apphost-timeline.sh).
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    EnableResourceLogging = Environment.GetEnvironmentVariable("AppHost__ResourceLogs") == "console",
});
var data = DataFolder.Acquire(builder); // AppHost__DataDirectory; a second AppHost on the same folder fails here
builder.UsePreparedOrchestratorCertificate(); // DCP would make an RSA key at every start: seconds of CPU

// Secrets arrive as parameters by their flat names; the webhook secret is generated and kept when unset.
// Unset optional ones pass nothing, so the services keep their offline defaults (offline analyzer, Markdown CRM).
var webhookSecret = builder.AddKeptSecret("webhook-secret", "WEBHOOK_SECRET", data);
var adminKey = builder.AddOptionalSecret("admin-bootstrap-key", "ADMIN_BOOTSTRAP_KEY");
var openAiKey = builder.AddOptionalSecret("openai-api-key", "OPENAI_API_KEY");
var crmUser = builder.AddOptionalSecret("crm-user", "CRM_BASIC_AUTH_USER");
var crmPassword = builder.AddOptionalSecret("crm-password", "CRM_BASIC_AUTH_PASS");
// The CRM's Markdown mirror (written and erased from by crm alone): an absolute path in the data folder.
var crmMarkdown = builder.Configuration["CRM_MD_PATH"] ?? data.PathOf("memory-bank", "crm.md");

// The machine's PostgreSQL binaries by default; AppHost__Postgres__Mode=container, or ConnectionStrings__voicedb.
var db = builder.AddVoiceDatabase("postgres", "voicedb", data);

var gateway = builder.AddProject<Projects.Gateway>("gateway") // http://localhost:5080 (its Kestrel config): webhooks arrive here
    .WithReference(db).WaitFor(db, WaitBehavior.StopOnResourceUnavailable) // fails, not waits, when Postgres cannot start
    .WithEnvironment("WEBHOOK_SECRET", webhookSecret)
    .WithOptionalEnvironment("ADMIN_BOOTSTRAP_KEY", adminKey)
    .WithDashboardUrl("Dashboard__Url") // links from the admin API to a conversation's trace
    .WithSettings(builder.Configuration, "WEBHOOK_", "INGEST_", "Webhook:", "Ingest:", "Privacy", "Retention", "Erasure", "Admin:", "Auth:", "Cors:", "Audit:", "FORWARDED_", "TrustedProxies:", "OTEL_TRACES_")
    .WithReadinessProbe("/health", endpointName: "http");

var analysis = builder.AddProject<Projects.AnalysisService>("analysis") // endpoints http (Http1) and grpc (Http2)
    .WithReference(db).WaitFor(db, WaitBehavior.StopOnResourceUnavailable)
    .WithOptionalEnvironment("OPENAI_API_KEY", openAiKey)
    .WithSettings(builder.Configuration, "OPENAI_", "ANALYZE_", "Analysis:", "Privacy", "Jobs", "OTEL_TRACES_")
    .WithReadinessProbe("/health", endpointName: "http");

var crm = builder.AddProject<Projects.CrmService>("crm")
    .WithReference(db).WaitFor(db, WaitBehavior.StopOnResourceUnavailable)
    .WithEnvironment("CRM_MD_PATH", crmMarkdown)
    .WithOptionalEnvironment("CRM_BASIC_AUTH_USER", crmUser)
    .WithOptionalEnvironment("CRM_BASIC_AUTH_PASS", crmPassword)
    .WithSettings(builder.Configuration, "CRM_", "Crm:", "Jobs", "OTEL_TRACES_")
    .WithReadinessProbe("/health", endpointName: "http");

// Calls without WaitFor: the nudges are best effort (the job queues are the source of truth); the admin API's
// reads, rectification, re-export and lineage report answer 503 until their owner is up, and an erasure stays
// pending (retried by the gateway's worker) until each owner has erased its data.
// The CRM asks the analysis service for each lead; an export that finds it not up yet waits (no attempt spent).
gateway.WithReference(analysis).WithReference(crm);
analysis.WithReference(crm);
crm.WithReference(analysis);

// The services run in the AppHost's environment (Development under dotnet run). On stop the dashboard goes
// first: each service's last telemetry export gives up after 2 s instead of retrying past DCP's grace.
// Each starts from the dll the AppHost's build built (dotnet <dll>), without a `dotnet run` evaluation per start.
foreach (var service in new[] { gateway, analysis, crm })
{
    service.WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "2000")
        .WithBuiltOutputLaunch();
}

builder.PrintWhenAllHealthy();
builder.PrintWebhookSecretOnStart(webhookSecret, generated: builder.Configuration["WEBHOOK_SECRET"] is null or "");
builder.Build().Run();
