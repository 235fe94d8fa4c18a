Console.WriteLine("VoiceAnalytics.AppHost: not wired yet.");
