namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>How the fake CRM answers.</summary>
public enum FakeCreatioMode
{
    Ok,
    ResultCodeMinusOne,
    EmptyResult,
    ServerError,
    Hang,
}
