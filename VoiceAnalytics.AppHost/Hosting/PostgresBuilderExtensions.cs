using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>
    /// A Postgres server, configured by the <c>AppHost:Postgres</c> section: <c>Mode</c> (auto, embedded, container,
    /// external), <c>Port</c> (0: free), <c>DataDirectory</c>, <c>Image</c>.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        var section = builder.Configuration.GetSection($"{AppHostOptions.Section}:Postgres");
        var mode = section["Mode"] is { Length: > 0 } text
            ? Enum.TryParse<PostgresMode>(text, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"AppHost:Postgres:Mode '{text}' is not one of auto, embedded, container, external.")
            : PostgresMode.Auto;
        var port = section.GetValue<int?>("Port") is > 0 and var p ? p : (int?)null;
        var server = new PostgresServerResource(name)
        {
            Mode = mode,
            DataDirectory = section["DataDirectory"] ?? "",
            ContainerImage = section["Image"] is { Length: > 0 } image ? image : "docker.io/library/postgres:15",
        };
        server.Endpoints.Add(new ResourceEndpoint("tcp", EndpointProtocol.Tcp, port, isExternal: false));
        return builder.AddResource(server);
    }

    /// <summary>
    /// A database on the server, created when missing. A <c>ConnectionStrings:&lt;name&gt;</c> given to the AppHost
    /// switches the server to external mode (unless a mode is set explicitly).
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var server = builder.Resource;
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server);
        server.Databases.Add(database);
        var external = builder.ApplicationBuilder.Configuration.GetConnectionString(name);
        if (!string.IsNullOrWhiteSpace(external) && server.Mode is PostgresMode.Auto or PostgresMode.External)
        {
            server.Mode = PostgresMode.External;
            server.ExternalConnectionString = external;
        }
        return builder.ApplicationBuilder.AddResource(database);
    }
}
