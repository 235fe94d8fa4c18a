namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// An envelope could not be decrypted: damaged, tampered with, or written under a key this ring does not hold.
/// The message names the key id only, never the value.
/// </summary>
public sealed class PiiDecryptionException(string message, Exception? inner = null) : Exception(message, inner);
