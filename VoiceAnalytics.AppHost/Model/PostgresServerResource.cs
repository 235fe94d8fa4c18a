using Npgsql;

namespace VoiceAnalytics.AppHost.Model;

/// <summary>One Postgres server; its databases are <see cref="PostgresDatabaseResource"/> children.</summary>
public sealed class PostgresServerResource(string name) : Resource(name)
{
    public const string UserName = "postgres";

    public override string Type => "Postgres";

    /// <summary>The mode asked for; the orchestrator resolves <see cref="PostgresMode.Auto"/>.</summary>
    public PostgresMode Mode { get; set; } = PostgresMode.Auto;

    /// <summary>Folder holding the embedded cluster and its password (kept between runs).</summary>
    public string DataDirectory { get; set; } = "";

    public string ContainerImage { get; set; } = "docker.io/library/postgres:15";

    /// <summary>The password for this server, known once the orchestrator has prepared it.</summary>
    public string? Password { get; set; }

    /// <summary>Set in external mode: the user's connection string, used as given.</summary>
    public string? ExternalConnectionString { get; set; }

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public ResourceEndpoint TcpEndpoint => GetEndpoint("tcp");

    /// <summary>Connection string to one database of this server for this run.</summary>
    public string ConnectionStringFor(string database)
    {
        if (ExternalConnectionString is not null)
        {
            return new NpgsqlConnectionStringBuilder(ExternalConnectionString) { Database = database }.ConnectionString;
        }
        return new NpgsqlConnectionStringBuilder
        {
            Host = ResourceEndpoint.Host,
            Port = TcpEndpoint.AllocatedPort ?? throw new InvalidOperationException("Postgres has no port yet."),
            Username = UserName,
            Password = Password,
            Database = database,
        }.ConnectionString;
    }
}
