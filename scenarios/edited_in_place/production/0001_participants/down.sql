DROP TABLE conversation_participants;
