using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Hosting;

public static class ProjectBuilderExtensions
{
    /// <summary>A service project of this repository, path relative to the AppHost project folder.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        var fullPath = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, projectPath));
        return builder.AddResource(new ProjectResource(name, fullPath));
    }

    /// <summary>An HTTP/1.1 endpoint on loopback (health checks, internal APIs); no port: a free one.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, string name = "http", int? port = null) =>
        builder.WithEndpoint(new ResourceEndpoint(name, EndpointProtocol.Http1, port, isExternal: false));

    /// <summary>An HTTP/2 cleartext (h2c) endpoint for gRPC.</summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(
        this IResourceBuilder<ProjectResource> builder, string name = "grpc", int? port = null) =>
        builder.WithEndpoint(new ResourceEndpoint(name, EndpointProtocol.Http2, port, isExternal: false));

    /// <summary>An HTTP endpoint reachable from outside the machine, on a fixed port (0: a free one).</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, int port, string name = "http") =>
        builder.WithEndpoint(new ResourceEndpoint(name, EndpointProtocol.Http1, port, isExternal: true));

    private static IResourceBuilder<ProjectResource> WithEndpoint(this IResourceBuilder<ProjectResource> builder, ResourceEndpoint endpoint)
    {
        if (builder.Resource.Endpoints.Any(e => e.Name == endpoint.Name))
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' already has an endpoint '{endpoint.Name}'.");
        }
        builder.Resource.Endpoints.Add(endpoint);
        return builder;
    }
}
