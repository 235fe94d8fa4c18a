namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Docker or Podman, if one is installed and its engine answers.</summary>
internal static class ContainerRuntime
{
    public static async Task<string?> FindAnsweringAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "docker", "podman" })
        {
            if (Executables.Find(name) is not { } path)
            {
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                var spec = new ProcessSpec(path, ["info", "--format", "{{.ServerVersion}}"], Path.GetTempPath(), new Dictionary<string, string?>());
                if (await CommandRunner.RunAsync(spec, (_, _) => { }, timeout.Token) == 0)
                {
                    return path;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The engine did not answer in time: try the next runtime.
            }
        }
        return null;
    }
}
