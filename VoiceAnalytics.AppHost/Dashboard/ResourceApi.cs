using Microsoft.AspNetCore.Http.HttpResults;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>The Resources and Console logs pages' JSON: the orchestrator's resources, commands and console buffers.</summary>
public static class ResourceApi
{
    private const int MaxConsoleLines = 2_000;

    public static RouteGroupBuilder MapResourceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/resources", (IDashboardResources resources) => TypedResults.Ok(resources.List()));

        api.MapPost("/resources/{name}/{command}", async Task<Results<Accepted, NotFound, BadRequest<string>>> (
            string name, string command, IDashboardResources resources, CancellationToken ct) =>
        {
            if (!Enum.TryParse<ResourceCommand>(command, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.BadRequest("command must be stop, start or restart");
            }
            return await resources.ExecuteAsync(name, parsed, ct) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound();
        });

        api.MapGet("/console/{resource}", Results<Ok<ConsoleLogPage>, NotFound> (
            string resource, long? after, IConsoleLogSource console) =>
        {
            var lines = console.Read(resource, after ?? 0, MaxConsoleLines);
            return lines is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(new ConsoleLogPage(resource, lines, lines.Count > 0 ? lines[^1].Sequence : after ?? 0));
        });
        return api;
    }
}
