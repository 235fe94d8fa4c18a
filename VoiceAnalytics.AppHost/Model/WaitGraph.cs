namespace VoiceAnalytics.AppHost.Model;

/// <summary>
/// The start order implied by <c>WaitFor</c> (and a database's server): each resource after everything it waits
/// for. A cycle could never start, so it is an error when the model is built, not a hang at run time.
/// </summary>
public static class WaitGraph
{
    /// <summary>Resources in a valid start order; ties keep the order they were added in.</summary>
    public static IReadOnlyList<Resource> StartOrder(IReadOnlyList<Resource> resources)
    {
        var ordered = new List<Resource>(resources.Count);
        var state = new Dictionary<Resource, bool>(); // false: visiting, true: done
        foreach (var resource in resources)
        {
            Visit(resource, state, ordered, []);
        }
        return ordered;
    }

    /// <summary>Length of the longest wait chain below each resource (0: waits for nothing).</summary>
    public static IReadOnlyDictionary<Resource, int> Depths(IReadOnlyList<Resource> resources)
    {
        var depths = new Dictionary<Resource, int>();
        foreach (var resource in StartOrder(resources))
        {
            depths[resource] = resource.StartDependencies.Select(d => depths.GetValueOrDefault(d) + 1).DefaultIfEmpty(0).Max();
        }
        return depths;
    }

    private static void Visit(Resource resource, Dictionary<Resource, bool> state, List<Resource> ordered, List<Resource> path)
    {
        if (state.TryGetValue(resource, out var done))
        {
            if (!done)
            {
                var cycle = path.SkipWhile(r => r != resource).Append(resource).Select(r => r.Name);
                throw new InvalidOperationException($"WaitFor cycle: {string.Join(" -> ", cycle)}. Nothing in a cycle could ever start.");
            }
            return;
        }
        state[resource] = false;
        path.Add(resource);
        foreach (var dependency in resource.StartDependencies)
        {
            Visit(dependency, state, ordered, path);
        }
        path.RemoveAt(path.Count - 1);
        state[resource] = true;
        ordered.Add(resource);
    }
}
