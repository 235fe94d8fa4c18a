using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// <c>/api/resources</c>: state for tools and for the dashboard UI. Commands are POSTs and refuse requests a
/// browser sends on behalf of another site (an Origin header that is not this dashboard).
/// </summary>
internal static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/resources");
        group.MapGet("/", (IResourceService resources) => TypedResults.Ok(resources.GetResources()));
        group.MapGet("/{name}", Results<Ok<ResourceSnapshot>, NotFound> (string name, IResourceService resources) =>
            resources.GetResource(name) is { } snapshot ? TypedResults.Ok(snapshot) : TypedResults.NotFound());
        group.MapGet("/{name}/logs", Results<Ok<IReadOnlyList<LogLine>>, NotFound> (string name, long? after, IResourceService resources) =>
            resources.GetLogs(name) is { } logs ? TypedResults.Ok(logs.GetLines(after ?? 0)) : TypedResults.NotFound());

        var commands = group.MapGroup("/{name}").AddEndpointFilter(RejectCrossSiteRequests);
        commands.MapPost("/start", (string name, IResourceService resources, CancellationToken ct) =>
            RunAsync(name, resources, resources.StartResourceAsync(name, ct)));
        commands.MapPost("/stop", (string name, IResourceService resources, CancellationToken ct) =>
            RunAsync(name, resources, resources.StopResourceAsync(name, ct)));
        commands.MapPost("/restart", (string name, IResourceService resources, CancellationToken ct) =>
            RunAsync(name, resources, resources.RestartResourceAsync(name, ct)));
        return group;
    }

    /// <summary>202 with the resource's state once the command is under way (a start continues in the background).</summary>
    private static async Task<Results<Accepted<ResourceSnapshot>, NotFound>> RunAsync(string name, IResourceService resources, Task<bool> command) =>
        await command && resources.GetResource(name) is { } snapshot
            ? TypedResults.Accepted($"/api/resources/{name}", snapshot)
            : TypedResults.NotFound();

    private static async ValueTask<object?> RejectCrossSiteRequests(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem("Cross-site requests cannot control resources.", statusCode: StatusCodes.Status403Forbidden);
        }
        return await next(context);
    }
}
