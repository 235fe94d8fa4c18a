using Microsoft.Extensions.Configuration;
using VoiceAnalytics.AppHost.Postgres;

namespace VoiceAnalytics.AppHost;

/// <summary>The one database every service uses, provided three ways by configuration, with the same connection string name.</summary>
public static class VoiceDatabase
{
    public const string ModeKey = "AppHost:Postgres:Mode";

    /// <summary>
    /// <c>ConnectionStrings:{database}</c> set: an external server (<c>AddConnectionString</c>). Else
    /// <c>AppHost:Postgres:Mode=container</c>: Aspire's <c>AddPostgres</c> (needs Docker or Podman). Else (default)
    /// the machine's PostgreSQL binaries, cluster in the data folder. The password is generated once and kept.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddVoiceDatabase(
        this IDistributedApplicationBuilder builder, [ResourceName] string server, [ResourceName] string database, DataFolder data)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(database)))
        {
            return builder.AddConnectionString(database);
        }
        var password = builder.AddParameter($"{server}-password", data.Secret($"{server}-password", 16), secret: true);
        return builder.Configuration[ModeKey]?.ToLowerInvariant() switch
        {
            null or "" or "local" => builder.AddLocalPostgres(server, data.PathOf("pg"), password).AddDatabase(database),
            "container" => builder.AddPostgres(server, password: password).WithDataVolume("voiceanalytics-pgdata").AddDatabase(database),
            var other => throw new InvalidOperationException($"{ModeKey} '{other}' is not one of local, container."),
        };
    }
}
