namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>The machine or the configuration cannot run the app as asked; the message says what to install or set.</summary>
public sealed class AppHostSetupException(string message) : Exception(message);
