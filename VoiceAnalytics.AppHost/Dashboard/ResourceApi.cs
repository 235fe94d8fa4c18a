using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The Resources and Console logs pages' JSON, over the orchestrator's <see cref="IResourceService"/>: the same
/// state and commands as the open <c>/api/resources</c>, but behind the dashboard session.
/// </summary>
public static class ResourceApi
{
    private const int MaxConsoleLines = 2_000;

    public static RouteGroupBuilder MapResourceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/resources", (IResourceService resources) => TypedResults.Ok(resources.GetResources()));

        api.MapPost("/resources/{name}/{command}", async Task<Results<Accepted, NotFound, BadRequest<string>>> (
            string name, string command, IResourceService resources, CancellationToken ct) =>
        {
            Task<bool>? run = command.ToLowerInvariant() switch
            {
                "stop" => resources.StopResourceAsync(name, ct),
                "start" => resources.StartResourceAsync(name, ct),
                "restart" => resources.RestartResourceAsync(name, ct),
                _ => null,
            };
            if (run is null)
            {
                return TypedResults.BadRequest("command must be stop, start or restart");
            }
            return await run ? TypedResults.Accepted((string?)null) : TypedResults.NotFound();
        });

        // The newest lines first time round (a tail), then everything after the last sequence the page has.
        api.MapGet("/console/{resource}", Results<Ok<ConsoleLogPage>, NotFound> (string resource, long? after, IResourceService resources) =>
        {
            if (resources.GetLogs(resource) is not { } buffer)
            {
                return TypedResults.NotFound();
            }
            var lines = buffer.GetLines(after ?? 0);
            if (lines.Count > MaxConsoleLines)
            {
                lines = [.. lines.Skip(lines.Count - MaxConsoleLines)];
            }
            return TypedResults.Ok(new ConsoleLogPage(resource, lines, lines.Count > 0 ? lines[^1].Sequence : after ?? 0));
        });
        return api;
    }
}
