using Npgsql;

namespace VoiceAnalytics.AppHost.Model;

/// <summary>A database on a <see cref="PostgresServerResource"/>; created at start when missing.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server)
    : Resource(name), IResourceWithConnectionString
{
    public override string Type => "PostgresDatabase";

    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = server;

    /// <summary>A database is only usable once its server is.</summary>
    public override IEnumerable<Resource> StartDependencies => [Server, .. WaitsFor];

    public string? GetConnectionString()
    {
        if (Server.ExternalConnectionString is not null)
        {
            // The user's string names the database; use it exactly as given.
            return new NpgsqlConnectionStringBuilder(Server.ExternalConnectionString).Database is { Length: > 0 }
                ? Server.ExternalConnectionString
                : Server.ConnectionStringFor(DatabaseName);
        }
        return Server.TcpEndpoint.AllocatedPort is null ? null : Server.ConnectionStringFor(DatabaseName);
    }
}
