namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>English sentences of the lineage report.</summary>
public static class LineageTextsEn
{
    public static readonly LineageLanguage Table = new(
        Code: "en",
        DateFormat: "yyyy-MM-dd",
        Title: "Traceability report of conversation {conversation}",
        CallSentence: "A call from number {phone} was received on {date} at {time} UTC, registered under conversation {conversation}.",
        CallWithoutNumber: "Conversation {conversation} was registered on {date} at {time} UTC.",
        AgentSentence: "It was handled by voice agent {agent}.",
        DurationSentence: "It lasted {minutes} minutes and {seconds} seconds.",
        RecordingSentence: "Recording {recordings} is associated with this interaction.",
        NothingHeld: "No personal data of this conversation is held any more; the steps below are what the trail keeps.",
        Unavailable: "The {services} service did not answer: its steps are missing from this report.",
        Steps: new Dictionary<string, string>
        {
            [LineageStepKinds.Received] = "On {date} at {time} UTC the gateway received event {event_id} ({event_type}) from address {source_address}; its signature was verified ({id}).",
            [LineageStepKinds.Spooled] = "On {date} at {time} UTC event {event_id} was set aside in the outage spool, encrypted, because the database was unavailable ({id}).",
            [LineageStepKinds.Replayed] = "On {date} at {time} UTC event {event_id} was replayed from the outage spool ({id}).",
            [LineageStepKinds.Stored] = "On {date} at {time} UTC event {event_id} was stored encrypted ({id}).",
            [LineageStepKinds.Analysis] = "On {date} at {time} UTC analysis version {version} was made by model {model}, prompt {prompt_version}, with {input_tokens} input and {output_tokens} output tokens, requested by {actor} (reason: {reason}) ({id}).",
            [LineageStepKinds.ExportAttempt] = "On {date} at {time} UTC analysis version {analysis_version} was sent to the CRM ({sink}) as record {crm_record_id}, requested by {actor}: {outcome} ({id}).",
            [LineageStepKinds.AdminRead] = "On {date} at {time} UTC {actor}, role {role}, read the conversation ({action}) from address {source_ip} ({id}).",
            [LineageStepKinds.AdminChange] = "On {date} at {time} UTC {actor}, role {role}, performed {action} from address {source_ip} ({id}).",
            [LineageStepKinds.Rectification] = "On {date} at {time} UTC {actor}, role {role}, rectified the analysis from address {source_ip} ({id}).",
            [LineageStepKinds.Erasure] = "On {date} at {time} UTC {actor}, role {role}, erased the conversation's personal data from address {source_ip}; the audit keeps only its id and the counts removed ({id}).",
            [LineageStepKinds.DroppedAfterErasure] = "On {date} at {time} UTC an event of the erased conversation arrived and was dropped without being stored ({id}).",
        },
        Outcomes: new Dictionary<string, string>
        {
            ["exported"] = "delivered",
            ["retrying"] = "failed, to be retried",
            ["dead"] = "failed for good",
            ["skipped"] = "not sent (CRM unavailable)",
        });
}
