namespace VoiceAnalytics.AppHost.Testing;

/// <summary>
/// Carries a test's overrides into the AppHost's own entry point (Program.cs), so tests boot the very same
/// wiring diagram: <see cref="DistributedApplication.CreateBuilder"/> picks the session up, <c>Build()</c> hands the
/// application back, and <c>Run()</c> returns at once.
/// </summary>
internal sealed class TestingSession(DistributedApplicationTestingOptions options)
{
    private const string TemporaryPrefix = "voiceanalytics-apphost-test-";
    private static readonly AsyncLocal<TestingSession?> CurrentSession = new();

    public static TestingSession? Current
    {
        get => CurrentSession.Value;
        set => CurrentSession.Value = value;
    }

    public DistributedApplication? Application { get; private set; }

    public static string NewTemporaryDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TemporaryPrefix + Guid.NewGuid().ToString("N")[..12])).FullName;

    /// <summary>Deletes a data folder the testing builder created (never one the test passed in).</summary>
    public static void DeleteTemporaryDataDirectory(string path)
    {
        if (Path.GetFileName(path).StartsWith(TemporaryPrefix, StringComparison.Ordinal) && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public void ApplyConfiguration(IConfigurationBuilder configuration) =>
        configuration.AddInMemoryCollection(options.Configuration);

    public void ApplyResourceOverrides(DistributedApplicationBuilder builder)
    {
        foreach (var (name, variables) in options.Environment)
        {
            var resource = builder.Resources.FirstOrDefault(r => r.Name == name)
                ?? throw new ArgumentException($"Test override for unknown resource '{name}'.");
            resource.EnvironmentCallbacks.Add(context =>
            {
                foreach (var (key, value) in variables)
                {
                    context.Variables[key] = value;
                }
            });
        }
    }

    public void Capture(DistributedApplication application) => Application = application;
}
