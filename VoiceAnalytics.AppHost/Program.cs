// VoiceAnalytics as a wiring diagram: infrastructure first, then the services in start order.
// Resource names double as service-discovery names (services__<name>__<endpoint>__0) and connection-string keys.
var builder = DistributedApplication.CreateBuilder(args);

// Secrets arrive as parameters (appsettings, user secrets, environment), never literals. Unset ones are not
// passed down, so the services fall back to their offline defaults (offline analyzer, Markdown-only CRM export).
var webhookSecret = builder.AddParameterFromConfiguration("webhook-secret", "WEBHOOK_SECRET", secret: true)
    .WithGeneratedDefault(); // printed once at start, so test webhooks can be signed
var openAiKey = builder.AddParameterFromConfiguration("openai-api-key", "OPENAI_API_KEY", secret: true);
var crmUrl = builder.AddParameterFromConfiguration("crm-url", "CRM_SERVICE_URL");
var crmUser = builder.AddParameterFromConfiguration("crm-user", "CRM_BASIC_AUTH_USER", secret: true);
var crmPassword = builder.AddParameterFromConfiguration("crm-password", "CRM_BASIC_AUTH_PASS", secret: true);
var gatewayPort = builder.Configuration.GetValue("AppHost:GatewayPort", 5080);
// The CRM's Markdown mirror is written by crm and erased from by the gateway (GDPR erasure): one absolute path.
var crmMarkdown = builder.Configuration["CRM_MD_PATH"] ?? builder.DataPath("memory-bank", "crm.md");

// Embedded PostgreSQL by default; AppHost__Postgres__Mode=container, or ConnectionStrings__voicedb for an external server.
var postgres = builder.AddPostgres("postgres");
var db = postgres.AddDatabase("voicedb");

var gateway = builder.AddProject("gateway", "../Gateway/Gateway.csproj")
    .WithExternalHttpEndpoint(port: gatewayPort) // ElevenLabs webhooks arrive here
    .WithReference(db).WaitFor(db)
    .WithEnvironment("WEBHOOK_SECRET", webhookSecret)
    .WithEnvironment("CRM_MD_PATH", crmMarkdown);

var analysis = builder.AddProject("analysis", "../AnalysisService/AnalysisService.csproj")
    .WithHttpEndpoint("http").WithGrpcEndpoint("grpc")
    .WithReference(db)
    .WaitFor(gateway) // waits for gateway migrations: analyses reference ingest.webhook_events
    .WithEnvironment("OPENAI_API_KEY", openAiKey);

var crm = builder.AddProject("crm", "../CrmService/CrmService.csproj")
    .WithHttpEndpoint("http").WithGrpcEndpoint("grpc")
    .WithReference(db)
    .WaitFor(analysis) // waits for analysis migrations: exports reference analysis.analyses
    .WithEnvironment("CRM_SERVICE_URL", crmUrl)
    .WithEnvironment("CRM_MD_PATH", crmMarkdown)
    .WithEnvironment("CRM_BASIC_AUTH_USER", crmUser)
    .WithEnvironment("CRM_BASIC_AUTH_PASS", crmPassword);

// Calls flow downstream. No WaitFor here: the gateway's nudge is best effort (the queue is the source of
// truth), and analysis hands exports to crm through crm.jobs, so neither call needs the callee up first.
gateway.WithReference(analysis);
analysis.WithReference(crm);

builder.Build().Run();
