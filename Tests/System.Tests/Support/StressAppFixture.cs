namespace VoiceAnalytics.System.Tests.Support;

/// <summary>One whole app shared by the tests of a class (they run one after another and use their own conversation ids).</summary>
public abstract class StressAppFixture(StressAppSettings settings) : IAsyncLifetime
{
    private StressApp? _app;

    public StressApp App => _app ?? throw new InvalidOperationException("The app is not started.");

    public async Task InitializeAsync() => _app = await StressApp.StartAsync(settings);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
