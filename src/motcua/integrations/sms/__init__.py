"""SMS brandname (integrations.md §6.1): VNPT's ``send_sms_list``. ``ports`` says what a send is in
our words, ``wire`` maps it to RQST/RPLY, ``client`` sends it over HTTP."""
