namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// A measurement that runs only when asked (<c>STRESS_LOAD=1</c>, as bench/stress/run-load.sh does): minutes of
/// sustained load belong to a benchmark run on a quiet machine, not to every <c>dotnet test</c>.
/// </summary>
public sealed class LoadFactAttribute : FactAttribute
{
    public LoadFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("STRESS_LOAD") != "1")
        {
            Skip = "Load measurement: run bench/stress/run-load.sh (or set STRESS_LOAD=1).";
        }
    }
}
