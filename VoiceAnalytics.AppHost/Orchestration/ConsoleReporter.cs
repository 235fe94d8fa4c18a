namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>The AppHost's console: its own messages and, when enabled, every resource's output prefixed with its name.</summary>
internal sealed class ConsoleReporter(bool echoResourceLogs, int nameWidth)
{
    private readonly Lock _lock = new();

    public void Info(string message)
    {
        lock (_lock)
        {
            Console.Out.WriteLine(message);
        }
    }

    public void Error(string message)
    {
        lock (_lock)
        {
            Console.Error.WriteLine(message);
        }
    }

    public void Echo(string resource, string line, bool isError)
    {
        if (!echoResourceLogs)
        {
            return;
        }
        var text = $"{resource.PadRight(nameWidth)} | {line}";
        lock (_lock)
        {
            (isError ? Console.Error : Console.Out).WriteLine(text);
        }
    }
}
