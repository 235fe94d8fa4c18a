using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>The one PostgreSQL database every service shares, each service in its own schema.</summary>
public static class VoiceDatabaseExtensions
{
    /// <summary>Connection-string name, as the AppHost writes it: <c>ConnectionStrings__voicedb</c>.</summary>
    public const string ConnectionName = "voicedb";

    /// <summary>
    /// Registers the pooled <see cref="Npgsql.NpgsqlDataSource"/> for <c>ConnectionStrings:voicedb</c> through
    /// the Aspire Npgsql integration (tracing, metrics) with a health check of its own, accepting a <c>DATABASE_URL</c> URL
    /// too, and a migration runner that applies <paramref name="migrationsAssembly"/>'s embedded
    /// <c>Data/Migrations/*.sql</c> files in name order. The <c>migrations</c> health check reports unhealthy
    /// until the schema is migrated, so "healthy" means "reachable and migrated".
    /// </summary>
    public static IHostApplicationBuilder AddVoiceDatabase(this IHostApplicationBuilder builder, string schema, Assembly migrationsAssembly)
    {
        builder.Configuration[$"ConnectionStrings:{ConnectionName}"] = ResolveConnectionString(builder.Configuration);
        var applicationName = builder.Environment.ApplicationName;
        // The integration's own health check is replaced by one that recovers from a database restart at once.
        builder.AddNpgsqlDataSource(ConnectionName,
            configureSettings: settings => settings.DisableHealthChecks = true,
            configureDataSourceBuilder: dataSource =>
            {
                dataSource.ConnectionStringBuilder.ApplicationName ??= applicationName;
                dataSource.ConfigureTracing(TraceOnlyInsideSpans);
            });

        var migrations = new MigrationSet(schema, migrationsAssembly);
        builder.Services.AddSingleton(migrations);
        builder.Services.AddSingleton<IMigrationSource>(migrations);
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<MigrationRunner>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(ConnectionName)
            .AddCheck<MigratedHealthCheck>("migrations");
        return builder;
    }

    /// <summary>
    /// A command gets a span only inside a span of the service's own (a request, a job): there it shows where a
    /// conversation's time went. Outside one it would start a trace of its own for every queue claim, idle poll and
    /// lease renewal, which the dashboard receives, stores and lists beside the conversations' traces. The
    /// first-response event of every span is left out: the span's own end already says when the answer came.
    /// </summary>
    public static void TraceOnlyInsideSpans(NpgsqlTracingOptionsBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        tracing.ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .EnableFirstResponseEvent(false);
    }

    /// <summary>The connection string from <c>ConnectionStrings:voicedb</c>, else from a <c>DATABASE_URL</c> URL.</summary>
    public static string ResolveConnectionString(IConfiguration configuration)
    {
        var fromConnectionStrings = configuration.GetConnectionString(ConnectionName);
        if (!string.IsNullOrWhiteSpace(fromConnectionStrings))
        {
            return fromConnectionStrings;
        }
        var url = configuration["DATABASE_URL"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            return PostgresUrl.ToConnectionString(url);
        }
        throw new InvalidOperationException(
            $"No database configured: set ConnectionStrings__{ConnectionName} (or DATABASE_URL=postgresql://user:pass@host:5432/db).");
    }
}
