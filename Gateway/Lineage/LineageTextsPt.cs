namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>Frases em português do relatório de rastreio (as do "Exemplo de Rastreio" do processo de rastreabilidade).</summary>
public static class LineageTextsPt
{
    public static readonly LineageLanguage Table = new(
        Code: "pt",
        DateFormat: "dd/MM/yyyy",
        Title: "Relatório de rastreabilidade da conversa {conversation}",
        CallSentence: "Uma chamada do número {phone} foi recebida no dia {date} às {time} UTC, registrada sob a conversa {conversation}.",
        CallWithoutNumber: "A conversa {conversation} foi registrada no dia {date} às {time} UTC.",
        AgentSentence: "A chamada foi atendida pelo agente de voz {agent}.",
        DurationSentence: "A chamada durou {minutes} minutos e {seconds} segundos.",
        RecordingSentence: "A gravação {recordings} está associada a esta interação.",
        NothingHeld: "Nenhum dado pessoal desta conversa é mais mantido; os passos abaixo são o que a trilha de auditoria guarda.",
        Unavailable: "O serviço {services} não respondeu: seus passos estão ausentes deste relatório.",
        Steps: new Dictionary<string, string>
        {
            [LineageStepKinds.Received] = "No dia {date} às {time} UTC o gateway recebeu o evento {event_id} ({event_type}) do endereço {source_address}; a assinatura foi verificada ({id}).",
            [LineageStepKinds.Spooled] = "No dia {date} às {time} UTC o evento {event_id} foi guardado, cifrado, no arquivo de contingência, porque o banco de dados estava indisponível ({id}).",
            [LineageStepKinds.Replayed] = "No dia {date} às {time} UTC o evento {event_id} foi reprocessado a partir do arquivo de contingência ({id}).",
            [LineageStepKinds.Stored] = "No dia {date} às {time} UTC o evento {event_id} foi armazenado cifrado ({id}).",
            [LineageStepKinds.Analysis] = "No dia {date} às {time} UTC a versão {version} da análise foi feita pelo modelo {model}, prompt {prompt_version}, com {input_tokens} tokens de entrada e {output_tokens} de saída, a pedido de {actor} (motivo: {reason}) ({id}).",
            [LineageStepKinds.ExportAttempt] = "No dia {date} às {time} UTC a versão {analysis_version} da análise foi enviada ao CRM ({sink}) como registro {crm_record_id}, a pedido de {actor}: {outcome} ({id}).",
            [LineageStepKinds.AdminRead] = "No dia {date} às {time} UTC {actor}, perfil {role}, consultou a conversa ({action}) a partir do endereço {source_ip} ({id}).",
            [LineageStepKinds.AdminChange] = "No dia {date} às {time} UTC {actor}, perfil {role}, executou {action} a partir do endereço {source_ip} ({id}).",
            [LineageStepKinds.Rectification] = "No dia {date} às {time} UTC {actor}, perfil {role}, retificou a análise a partir do endereço {source_ip} ({id}).",
            [LineageStepKinds.Erasure] = "No dia {date} às {time} UTC {actor}, perfil {role}, eliminou os dados pessoais da conversa a partir do endereço {source_ip}; a auditoria guarda apenas o identificador e as contagens removidas ({id}).",
            [LineageStepKinds.DroppedAfterErasure] = "No dia {date} às {time} UTC chegou um evento da conversa eliminada, que foi descartado sem ser armazenado ({id}).",
        },
        Outcomes: new Dictionary<string, string>
        {
            ["exported"] = "entregue",
            ["retrying"] = "falhou, será tentado novamente",
            ["dead"] = "falhou definitivamente",
            ["skipped"] = "não enviado (CRM indisponível)",
        });
}
