using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Admin.Edge;
using VoiceAnalytics.Gateway.Admin.Sessions;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Lineage;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Infrastructure.Configuration;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The admin API, audit trail, data-subject rights and retention, registered and mapped as one unit.</summary>
public static class AdminServiceExtensions
{
    /// <summary>
    /// API-key authentication and role policies, the audit trail, PII protection, conversation reading (the
    /// gateway's tables plus the owners' read RPCs), erasure, the retention purge and the OpenAPI document.
    /// Expects <c>AddGatewayServices()</c> (the database and the outage spool).
    /// </summary>
    public static IHostApplicationBuilder AddAdminServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddFlatVariables(AdminOptions.FlatVariables);
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => o.HasValidBootstrapKey(), AdminOptions.BootstrapKeyTooShort).ValidateOnStart();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ErasureOptions>().BindConfiguration(ErasureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddPiiProtection();

        // API keys and operator sessions (access tokens), behind one policy scheme every role policy uses.
        builder.Services.AddAdminAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminRoles.AdminPolicy, Policy(AdminRoles.Admin))
            .AddPolicy(AdminRoles.OperationsPolicy, Policy(AdminRoles.Admin, AdminRoles.Operator))
            .AddPolicy(AdminRoles.CompliancePolicy, Policy(AdminRoles.Admin, AdminRoles.Auditor))
            .AddPolicy(AdminRoles.AnyRolePolicy, Policy(AdminRoles.Admin, AdminRoles.Operator, AdminRoles.Auditor));

        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        builder.Services.AddSingleton(sp => AuditChainKey.Create(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<PiiKeyRing>()));
        builder.Services.AddSingleton<AuditCheckpointStore>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<DenialAggregator>();
        // Registered before the rate limiter, so its middleware runs first: 429s carry the correlation id and CORS headers.
        builder.Services.AddEdgeHeaders();
        builder.Services.AddAdminRateLimiting();
        builder.Services.AddSingleton<AuditChainVerifier>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<KeyExpiryNotifier>();
        builder.Services.AddHostedService<KeyExpiryWorker>();
        builder.Services.AddSingleton<PhoneLookupIndexer>();
        builder.Services.AddHostedService<PhoneLookupWorker>();
        builder.Services.AddSingleton<OwnerReads>();
        builder.Services.AddSingleton<ConversationReader>();
        builder.Services.AddSingleton<SpoolConversationEraser>();
        // Erasure and retention: the gateway erases its own rows; the owners erase theirs over gRPC, retried until done.
        builder.Services.AddSingleton<ErasureOwners>();
        builder.Services.AddSingleton<ErasureRequestStore>();
        builder.Services.AddSingleton<ErasureCompleter>();
        builder.Services.AddHostedService<ErasureWorker>();
        builder.Services.AddSingleton<ConversationEraser>();
        builder.Services.AddSingleton<RetentionPurger>();
        builder.Services.AddSingleton<SourceAddressHasher>();
        builder.Services.AddHostedService<RetentionWorker>();
        builder.Services.AddSingleton<PipelineClients>();
        builder.Services.AddSingleton<GatewayLineageStore>();
        builder.Services.AddSingleton<LineageAssembler>();
        if (builder.Configuration.HasGrpcEndpoint("crm"))
        {
            builder.Services.TryAddCrmClient();
        }
        if (builder.Configuration.HasGrpcEndpoint("analysis"))
        {
            builder.Services.TryAddAnalysisClient();
        }
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Maps <c>/api/v1/…</c> (keys, conversations, subject requests, audit) and <c>/openapi/v1.json</c>.</summary>
    public static RouteGroupBuilder MapAdminApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        var api = app.MapGroup("/api/v1").AddEndpointFilter<AdminInputFilter>();
        api.MapKeysEndpoints();
        api.MapConversationsEndpoints();
        api.MapSubjectRightsEndpoints();
        api.MapAuditEndpoints();
        api.MapLineageEndpoints();
        api.MapSessionsEndpoints();
        app.MapJwks();
        return api;
    }

    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Policy(params string[] roles) => policy => policy
        .AddAuthenticationSchemes(AdminAuthentication.SchemeName)
        .RequireAuthenticatedUser()
        .RequireRole(roles);
}
